# tests/resume_finished_log.cmake: what the kill test found, reproduced without a kill (issue 10).
# When `aezoo train` is killed after it wrote its final checkpoint (status finished) and before it
# rewrote log.csv, log.csv is a row short; `--resume` has no step left to run and must restore
# log.csv from the checkpoint. This script makes that state (a finished run, model.npz removed,
# log.csv without its last row), resumes, and fails when log.csv is still short.
include(${CMAKE_CURRENT_LIST_DIR}/run_aezoo.cmake)
require_mnist()
file(REMOVE_RECURSE "${WORK_DIR}")
set(common train --model sparse-kl --hidden 20 --optimizer adam --batch-size 50 --data mnist:${MNIST}
    --limit 300 --iterations 5 --checkpoint-every 1 --progress quiet --out ${WORK_DIR})
execute_process(COMMAND ${AEZOO} ${common} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the first run failed (${code}):\n${out}")
endif()
file(STRINGS ${WORK_DIR}/log.csv lines)
list(LENGTH lines rows)
list(REMOVE_AT lines -1)
list(JOIN lines "\n" short)
file(WRITE ${WORK_DIR}/log.csv "${short}\n")
file(REMOVE ${WORK_DIR}/model.npz)
execute_process(COMMAND ${AEZOO} ${common} --resume RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the resumed run failed (${code}):\n${out}")
endif()
file(STRINGS ${WORK_DIR}/log.csv lines)
list(LENGTH lines now)
if(NOT now EQUAL rows)
  message(FATAL_ERROR "log.csv has ${now} lines after --resume of a finished checkpoint, the run wrote ${rows}")
endif()
message("log.csv restored to ${rows} lines by --resume")
