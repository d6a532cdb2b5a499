// Vectorizable polynomial exp/log and the kernels built on them.
//
// Every loop body is a straight-line function of one element (bit manipulation through memcpy,
// selects instead of branches), so clang vectorizes it. Each kernel is compiled twice: once with
// `target("avx2,fma")` and once for the baseline; `__builtin_cpu_supports` picks the variant at
// first use. Algorithms:
//  - exp: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, with ln2 split in a high part whose
//    product with k is exact and a low part; degree-12 Taylor polynomial in Horner form
//    (truncation r^13/13! < 2e-16 relative); scaling by 2^k done as two multiplications by
//    2^(k/2) and 2^(k - k/2), so subnormal results and overflow to inf come out right.
//  - log: the fdlibm/musl algorithm: x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)),
//    s = f / (2 + f), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)) with fdlibm's minimax R,
//    and k ln2 added in two parts (hi exact, lo) last.
//  - log1p: u = 1 + x; log1p(x) = log(u) - ((u - 1) - x) / u, which restores the rounding error
//    of 1 + x (Goldberg 1991, "What every computer scientist should know about floating-point").
#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

static inline double as_double(uint64_t u) { double d; memcpy(&d, &u, sizeof d); return d; }
static inline uint64_t as_bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

static const double LOG2E = 1.4426950408889634074;
static const double LN2_HI = 6.93147180369123816490e-01; // 32 significant bits: k * LN2_HI exact
static const double LN2_LO = 1.90821492927058770002e-10;
static const double SHIFT = 6755399441055744.0;          // 1.5 * 2^52: round-to-nearest integer trick

static inline double exp_one(double x) {
    // Clamp so that k stays in [-1077, 1025]; the two-step scaling turns the extremes into 0 / inf.
    double xc = x > 710.0 ? 710.0 : (x < -746.0 ? -746.0 : x);
    double kd = xc * LOG2E + SHIFT;
    int64_t k = (int64_t)(as_bits(kd) & 0xFFFFFFFFFFFFF) - (int64_t)0x8000000000000;
    kd -= SHIFT;
    double r = (xc - kd * LN2_HI) - kd * LN2_LO;
    double p = 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    int64_t k1 = k >> 1;
    int64_t k2 = k - k1;
    double s1 = as_double((uint64_t)(k1 + 1023) << 52);
    double s2 = as_double((uint64_t)(k2 + 1023) << 52);
    double y = p * s1 * s2;
    return x != x ? x : y; // NaN propagates
}

// fdlibm's e_log.c minimax coefficients for R(z) ~ log((1+s)/(1-s)) - 2s, z = s^2.
static const double LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01,
                    LG3 = 2.857142874366239149e-01, LG4 = 2.222219843214978396e-01,
                    LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
                    LG7 = 1.479819860511658591e-01;

static inline double log_one(double x) {
    // Subnormals: scale into the normal range first (2^54) and correct k.
    int sub = x < 2.2250738585072014e-308;
    double xs = sub ? x * 18014398509481984.0 : x;
    uint64_t ix = as_bits(xs);
    // Shift the mantissa so that 1 + f lands in [sqrt(2)/2, sqrt(2)) (musl's log.c).
    uint64_t hx = (ix >> 32) + (0x3ff00000 - 0x3fe6a09e);
    int64_t k = (int64_t)(hx >> 20) - 0x3ff - (sub ? 54 : 0);
    hx = (hx & 0x000fffff) + 0x3fe6a09e;
    uint64_t im = (hx << 32) | (ix & 0xffffffff);
    double f = as_double(im) - 1.0;
    double hfsq = 0.5 * f * f;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (LG2 + w * (LG4 + w * LG6));
    double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    double R = t2 + t1;
    // int64 -> double without a (non-AVX2) conversion instruction: |k| < 2^51.
    double dk = as_double((uint64_t)(0x4338000000000000LL + k)) - SHIFT;
    double y = s * (hfsq + R) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
    // Domain edges, by selects: log(0) = -inf, log(x<0) = NaN, log(inf) = inf, NaN -> NaN.
    y = x == 0.0 ? -INFINITY : y;
    y = x < 0.0 ? NAN : y;
    y = x == INFINITY ? INFINITY : y;
    return x != x ? x : y;
}

static inline double log1p_one(double x) {
    double u = 1.0 + x;
    double y = log_one(u) - ((u - 1.0) - x) / u;
    y = u == 0.0 ? -INFINITY : y;      // x == -1
    y = x == INFINITY ? INFINITY : y;  // the correction would be inf - inf
    return x != x ? x : y;
}

static inline double softplus_one(double x) {
    // max(x, 0) + log1p(e^{-|x|}): e^{-|x|} <= 1, so nothing overflows; for x << 0 the result
    // is e^x to full relative precision through log1p.
    double ax = x < 0.0 ? -x : x;
    double m = x > 0.0 ? x : 0.0;
    return m + log1p_one(exp_one(-ax));
}

static inline double sigmoid_one(double x) {
    double e = exp_one(x < 0.0 ? x : -x);   // e^{-|x|} in (0, 1]
    double r = 1.0 / (1.0 + e);
    return x >= 0.0 ? r : e * r;
}

static inline double pow_one(double a, double b) { return exp_one(b * log_one(a)); }

#define CC_UNARY(name, body)                                                             \
    __attribute__((target("avx2,fma"))) static void name##_avx2(const double *restrict x,\
                                                double *restrict y, ptrdiff_t n) {       \
        for (ptrdiff_t i = 0; i < n; i++) y[i] = body(x[i]);                             \
    }                                                                                    \
    static void name##_base(const double *restrict x, double *restrict y, ptrdiff_t n) { \
        for (ptrdiff_t i = 0; i < n; i++) y[i] = body(x[i]);                             \
    }

CC_UNARY(k_exp, exp_one)
CC_UNARY(k_log, log_one)
CC_UNARY(k_log1p, log1p_one)
CC_UNARY(k_softplus, softplus_one)
CC_UNARY(k_sigmoid, sigmoid_one)

__attribute__((target("avx2,fma"))) static void k_exp_scaled_avx2(const double *restrict x, double b,
                                                                  double *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = exp_one(x[i] * b);
}
static void k_exp_scaled_base(const double *restrict x, double b, double *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = exp_one(x[i] * b);
}
__attribute__((target("avx2,fma"))) static void k_pow_avx2(const double *restrict a, const double *restrict b,
                                                           double *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = pow_one(a[i], b[i]);
}
static void k_pow_base(const double *restrict a, const double *restrict b, double *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = pow_one(a[i], b[i]);
}

static int use_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        cached = 0;
#endif
    }
    return cached;
}

int cc_kernels_use_avx2(void) { return use_avx2(); }

// The kernels are written for restrict (non-overlapping) buffers; in-place use (x == y) is also
// fine because each y[i] depends only on x[i] and is written after x[i] is read.
void cc_vexp(const double *x, double *y, ptrdiff_t n) { use_avx2() ? k_exp_avx2(x, y, n) : k_exp_base(x, y, n); }
void cc_vlog(const double *x, double *y, ptrdiff_t n) { use_avx2() ? k_log_avx2(x, y, n) : k_log_base(x, y, n); }
void cc_vlog1p(const double *x, double *y, ptrdiff_t n) { use_avx2() ? k_log1p_avx2(x, y, n) : k_log1p_base(x, y, n); }
void cc_vsoftplus(const double *x, double *y, ptrdiff_t n) { use_avx2() ? k_softplus_avx2(x, y, n) : k_softplus_base(x, y, n); }
void cc_vsigmoid(const double *x, double *y, ptrdiff_t n) { use_avx2() ? k_sigmoid_avx2(x, y, n) : k_sigmoid_base(x, y, n); }
void cc_vexp_scaled(const double *x, double b, double *y, ptrdiff_t n) {
    use_avx2() ? k_exp_scaled_avx2(x, b, y, n) : k_exp_scaled_base(x, b, y, n);
}
void cc_vpow(const double *a, const double *b, double *y, ptrdiff_t n) {
    use_avx2() ? k_pow_avx2(a, b, y, n) : k_pow_base(a, b, y, n);
}
