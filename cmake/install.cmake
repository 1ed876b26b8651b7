# `cmake --install`: the `spmc` program, the public headers, the static libraries and a CMake
# package, so a designer's own tool can `find_package(spmc)` and link `spmc::spmc_reference`
# (or `spmc::spmc_simulator`). tests/install_consumer/ builds such a tool against an install.
#
# Installed: spmc_reference and the SIMD library it links (spmc_fastcrypto), the batch ratchet
# (spmc_fastratchet) and the simulator libraries (locality, engine, world, experiments, chart,
# report). Not installed: spmc_vectors (the vector generator behind `spmc vectors`, no public
# header) and the tests, fuzzers and bench.
include(CMakePackageConfigHelpers)

set(SPMC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/spmc)

install(TARGETS spmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS spmc_fastcrypto spmc_reference spmc_fastratchet spmc_sim_locality spmc_sim_engine
                spmc_sim_world spmc_sim_experiments spmc_sim_chart spmc_sim_report spmc_simulator
        EXPORT spmcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Each library's include folder holds only its public headers (private ones live in src/).
foreach(dir reference/include reference/fast/include simulator/locality/include
            simulator/engine/include simulator/world/include simulator/experiments/include
            simulator/chart/include simulator/report/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()

install(EXPORT spmcTargets NAMESPACE spmc:: DESTINATION ${SPMC_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/spmcConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/spmcConfig.cmake
                              INSTALL_DESTINATION ${SPMC_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spmcConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spmcConfig.cmake ${PROJECT_BINARY_DIR}/spmcConfigVersion.cmake
        DESTINATION ${SPMC_INSTALL_CMAKEDIR})
