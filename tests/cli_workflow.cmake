# tests/cli_workflow.cmake: a user's session with aezoo: train --resume continues a run exactly, an
# earlier run is never overwritten by accident, and encode, reconstruct, show and grad work on the
# trained model. Run by CTest with AEZOO (the program), MNIST (a folder) and WORK_DIR.
include(${CMAKE_CURRENT_LIST_DIR}/run_aezoo.cmake)
require_mnist()
file(REMOVE_RECURSE "${WORK_DIR}")
set(common train --model denoising --hidden 20 --noise 0.3 --optimizer adam --batch-size 50
    --data mnist:${MNIST} --limit 300 --progress quiet --seed 5)

run(TRUE ${common} --iterations 12 --out ${WORK_DIR}/whole)
run(TRUE ${common} --iterations 6 --out ${WORK_DIR}/parts)
run(FALSE ${common} --iterations 12 --out ${WORK_DIR}/parts)
if(last_code EQUAL 0 OR NOT last_output MATCHES "already holds a run")
  message(FATAL_ERROR "a second run into the same folder was not refused:\n${last_output}")
endif()
run(TRUE ${common} --iterations 12 --resume --out ${WORK_DIR}/parts)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/whole/model.npz ${WORK_DIR}/parts/model.npz
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "model.npz: 6 steps resumed to 12 differ from 12 steps in one run")
endif()
# The logs agree in every column but the wall-clock seconds (the third).
foreach(run whole parts)
  file(STRINGS ${WORK_DIR}/${run}/log.csv lines)
  list(TRANSFORM lines REPLACE "^([^,]*,[^,]*,)[^,]*," "\\1")
  set(${run}_log "${lines}")
endforeach()
list(LENGTH whole_log rows)
if(NOT rows EQUAL 13 OR NOT whole_log STREQUAL parts_log)
  message(FATAL_ERROR "log.csv: the resumed run's log differs (${rows} lines):\n${whole_log}\n${parts_log}")
endif()
message("resumed run identical to the uninterrupted one: model.npz byte for byte, log.csv but for seconds")
# A resume continues the same run: other model options, or fewer steps than done, are refused.
string(REPLACE "--noise;0.3" "--noise;0.4" other_noise "${common}")
run(FALSE ${other_noise} --iterations 14 --resume --out ${WORK_DIR}/parts)
if(last_code EQUAL 0 OR NOT last_output MATCHES "the checkpoint's run was '.*noise 0.3.*', this one is '.*noise 0.4")
  message(FATAL_ERROR "a resume with another --noise was not refused:\n${last_output}")
endif()
run(FALSE ${common} --iterations 3 --resume --out ${WORK_DIR}/parts)
if(last_code EQUAL 0 OR NOT last_output MATCHES "at step 12, past this run's 3 steps")
  message(FATAL_ERROR "a resume to fewer steps than done was not refused:\n${last_output}")
endif()
# --force replaces a run: its checkpoint goes too, so a later --resume cannot continue the old run.
run(TRUE ${common} --iterations 4 --force --no-checkpoint --out ${WORK_DIR}/parts)
if(EXISTS ${WORK_DIR}/parts/checkpoint.npz)
  message(FATAL_ERROR "--force --no-checkpoint left the replaced run's checkpoint.npz")
endif()

# A refused start leaves no folder behind.
run(FALSE ${common} --iterations 2 --learning-rate 0 --out ${WORK_DIR}/never)
if(EXISTS ${WORK_DIR}/never)
  message(FATAL_ERROR "a refused start left its --out folder")
endif()
set(model ${WORK_DIR}/whole/model.npz)
set(data --data mnist:${MNIST} --split test --limit 25)
run(TRUE encode ${model} ${data} --out ${WORK_DIR}/codes.npy)
run(TRUE reconstruct ${model} ${data} --out ${WORK_DIR}/x_hat.npy --png ${WORK_DIR}/x_hat.png)
run(TRUE show ${model} ${data} --out ${WORK_DIR}/pictures)
# A model file is the model: grad takes its kind, sizes and options from it, and refuses flags.
run(TRUE grad --params ${model} --data ${WORK_DIR}/x_hat.npy --out ${WORK_DIR}/g.npz)
if(NOT last_output MATCHES "loss [0-9]")
  message(FATAL_ERROR "grad printed no loss:\n${last_output}")
endif()
set(file_loss "${last_output}")
run(FALSE grad --model denoising --noise 0.3 --params ${model} --data ${WORK_DIR}/x_hat.npy --out ${WORK_DIR}/g_flags.npz)
if(last_code EQUAL 0 OR NOT last_output MATCHES "is a model file.*--model, --noise would contradict it")
  message(FATAL_ERROR "grad with flags contradicting a model file was not refused:\n${last_output}")
endif()
# Plain parameter arrays (no spec; g.npz holds arrays under the parameter names): the flags give the model.
run(TRUE grad --model denoising --noise 0.3 --hidden 20 --params ${WORK_DIR}/g.npz --data ${WORK_DIR}/x_hat.npy
    --out ${WORK_DIR}/g_plain.npz)
# A value the user gave is never read as "not given": a zero learning rate and a negative momentum
# are refused, not replaced by the defaults.
foreach(bad "--optimizer;gd;--learning-rate;0|learning_rate = 0 is outside"
            "--optimizer;momentum;--momentum;-0.5|momentum = -0.5 is outside")
  string(REPLACE "|" ";" parts "${bad}")
  list(GET parts -1 expected)
  list(REMOVE_AT parts -1)
  run(FALSE train --model sparse-kl --hidden 5 --data mnist:${MNIST} --limit 20 --iterations 2 --progress quiet
      ${parts} --out ${WORK_DIR}/refused)
  if(last_code EQUAL 0 OR NOT last_output MATCHES "${expected}")
    message(FATAL_ERROR "train ${parts} was not refused clearly:\n${last_output}")
  endif()
endforeach()
# A centring model: trained on centred data, its mean saved and used by reconstruct and grad.
run(TRUE train --model k-sparse --hidden 20 --k 5 --center true --optimizer adam --batch-size 50
    --data mnist:${MNIST} --limit 300 --progress quiet --iterations 6 --out ${WORK_DIR}/centred)
run(TRUE reconstruct ${WORK_DIR}/centred/model.npz ${data} --out ${WORK_DIR}/centred_x_hat.npy)
run(TRUE grad --params ${WORK_DIR}/centred/model.npz --data ${WORK_DIR}/x_hat.npy --out ${WORK_DIR}/g_centred.npz)
run(FALSE grad --model denoising --noise 0.3 --hidden 20 --center true --params ${WORK_DIR}/g.npz
    --data ${WORK_DIR}/x_hat.npy --out ${WORK_DIR}/g_bad.npz)
if(last_code EQUAL 0 OR NOT last_output MATCHES "input.mean")
  message(FATAL_ERROR "grad --center true without a saved mean was not refused clearly:\n${last_output}")
endif()
foreach(f codes.npy x_hat.npy x_hat.png pictures/filters.png pictures/reconstructions.png g.npz centred_x_hat.npy g_centred.npz)
  if(NOT EXISTS ${WORK_DIR}/${f})
    message(FATAL_ERROR "${f} was not written")
  endif()
endforeach()
# 25 examples of 20 codes: the .npy header, then 25 x 20 doubles.
file(SIZE ${WORK_DIR}/codes.npy size)
if(NOT size EQUAL 4128)
  message(FATAL_ERROR "codes.npy has ${size} bytes, expected 128 + 25 x 20 x 8 = 4128")
endif()
run(FALSE encode ${model} --data ${WORK_DIR}/codes.npy --out ${WORK_DIR}/bad.npy)
if(last_code EQUAL 0 OR NOT last_output MATCHES "has 20 features per example, the model denoising 784-20")
  message(FATAL_ERROR "data of the wrong size was not refused clearly:\n${last_output}")
endif()
