#pragma once
// Assertions for programmer errors. They stay on in release builds and abort:
// a broken invariant in protocol code must never be silently carried forward.
#include <cstdio>
#include <cstdlib>

#define SPMC_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)
