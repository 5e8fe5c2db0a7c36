// The instruction sets the hot loops have kernels for, read once per process. One place for every check, as
// compilers disagree on the names __builtin_cpu_supports knows: clang 14 knows neither "f16c" nor "avxvnni",
// so those two come from CPUID itself.
#ifndef SLIMNLP_SRC_CORE_CPU_FEATURES_H_
#define SLIMNLP_SRC_CORE_CPU_FEATURES_H_

namespace slimnlp::core {

struct CpuFeatures {
  bool avx2 = false;      // With the OS saving YMM state (__builtin_cpu_supports checks it).
  bool fma = false;
  bool f16c = false;      // CPUID 1: ECX bit 29.
  bool avx_vnni = false;  // CPUID 7.1: EAX bit 4.
};

// All false off x86-64.
const CpuFeatures& Cpu();

}  // namespace slimnlp::core

#endif  // SLIMNLP_SRC_CORE_CPU_FEATURES_H_
