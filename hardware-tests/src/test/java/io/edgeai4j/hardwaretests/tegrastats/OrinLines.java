package io.edgeai4j.hardwaretests.tegrastats;

/**
 * Real tegrastats lines of Jetson Orin modules, copied from public GitHub sources found with the code search of this
 * project's library (query "VDD_CPU_GPU_CV"; the index did not name the repositories):
 * <ul>
 *   <li>{@link #ORIN_NANO_JP6}: Orin Nano 8 GB (7620 MB, 6 cores, the r36 format with {@code GR3D_FREQ x%@[MHz]}
 *       and lower-case sensors), from the tests of a Rust tegrastats parser ("parses_verbose_off_and_bracket_freqs");
 *   <li>{@link #ORIN_NANO_README}: Orin Nano 8 GB, from the README of a C++ tegrastats parser by Ibrahima S. Sow,
 *       printed there over three lines (joined here with one space); its {@code VDD_CPU_GPU_CV 598mW/598} has no unit
 *       on the average, as printed;
 *   <li>{@link #AGX_ORIN_SENSORS_OFF}: AGX Orin 32 GB (30536 MB, 12 cores), older r35 format without power rails and
 *       with sensors that are off reported as -256 C, from the same Rust parser's tests
 *       ("parses_orin_sample_with_timestamp").
 * </ul>
 */
final class OrinLines {

  static final String ORIN_NANO_JP6 = "11-30-2025 13:26:01 RAM 2461/7620MB (lfb 3x2MB) SWAP 1243/3810MB (cached 5MB)"
      + " CPU [19%@729,14%@729,22%@729,8%@729,15%@729,17%@729] EMC_FREQ 4%@2133 GR3D_FREQ 0%@[305] NVDEC off NVJPG"
      + " off NVJPG1 off VIC off OFA off APE 200 cpu@46.531C soc2@47.312C soc0@46.593C gpu@48.218C tj@48.843C"
      + " soc1@48.843C VDD_IN 5704mW/5704mW VDD_CPU_GPU_CV 831mW/831mW VDD_SOC 1624mW/1624mW";

  static final String ORIN_NANO_README = "12-23-2024 22:54:11 RAM 3162/7620MB (lfb 4x2MB) SWAP 0/3810MB (cached 0MB)"
      + " CPU [1%@729,0%@729,0%@729,0%@729,off,off] GR3D_FREQ 1% cpu@62.843C soc2@61.968C soc0@60.625C gpu@61.687C"
      + " tj@62.843C soc1@61.687C VDD_IN 3913mW/3922mW VDD_CPU_GPU_CV 598mW/598 VDD_SOC 1238mW/1237mW";

  static final String AGX_ORIN_SENSORS_OFF = "01-03-2023 16:10:22 RAM 2257/30536MB (lfb 5392x4MB) SWAP 0/15268MB"
      + " (cached 0MB) CPU [10%@729,20%@729,30%@729,40%@729,50%@729,0%@729,60%@729,70%@729,80%@729,90%@729,100%@729,"
      + "0%@729] EMC_FREQ 0% GR3D_FREQ 75% CV0@-256C CPU@41.375C Tboard@29C SOC2@39C Tdiode@30.75C SOC0@38.906C"
      + " CV1@-256C GPU@-256C tj@41.468C SOC1@38.843C CV2@-256C";

  private OrinLines() {
  }
}
