// Elementwise transcendental kernels over contiguous double buffers.
// Each function writes y[i] = f(x[i]) for i < n; x and y may be the same buffer.
// Accuracy: within 2 ulp of the correctly rounded result on the tested ranges (see LinearAlgebraTests).
// Dispatch: an AVX2+FMA build of every loop is chosen once at load time when the CPU has both;
// otherwise the baseline x86-64 (SSE2) or generic build runs. No compiler flags are required.
#ifndef CURVECAST_CKERNELS_H
#define CURVECAST_CKERNELS_H
#include <stddef.h>

void cc_vexp(const double *x, double *y, ptrdiff_t n);
void cc_vlog(const double *x, double *y, ptrdiff_t n);
void cc_vlog1p(const double *x, double *y, ptrdiff_t n);
/// y = exp(x * b) with a scalar b (the pow kernel's core: a^b = exp(b log a) with log a precomputed).
void cc_vexp_scaled(const double *x, double b, double *y, ptrdiff_t n);
/// y = a^b elementwise for a > 0 (a == 0 gives 0 or inf by the sign of b; a < 0 gives NaN).
void cc_vpow(const double *a, const double *b, double *y, ptrdiff_t n);
/// y = softplus(x) = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) (never overflows).
void cc_vsoftplus(const double *x, double *y, ptrdiff_t n);
/// y = 1 / (1 + e^-x), computed from e^-|x| so that neither branch overflows.
void cc_vsigmoid(const double *x, double *y, ptrdiff_t n);
/// 1 when the AVX2+FMA variants are in use, 0 otherwise (reported by the benchmark).
int cc_kernels_use_avx2(void);

#endif
