// The C interfaces curvecast uses from the system libraries (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>
