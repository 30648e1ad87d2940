# tests/cli_conv.cmake: a conv autoencoder through the command line: train on MNIST, resume it,
# then check, encode, reconstruct, show (the kernels as a grid), grad, evaluate and finetune (also
# --from-scratch) read its model file. Run
# by CTest with AEZOO (the program), MNIST (a folder) and WORK_DIR.
include(${CMAKE_CURRENT_LIST_DIR}/run_aezoo.cmake)
require_mnist()
file(REMOVE_RECURSE "${WORK_DIR}")
set(common train --model conv --hidden 4,8 --kernel 5 --tied true --corruption masking --noise 0.2
    --optimizer adam --batch-size 20 --data mnist:${MNIST} --limit 100 --progress quiet --seed 3)
run(TRUE ${common} --iterations 6 --out ${WORK_DIR}/whole)
run(TRUE ${common} --iterations 3 --out ${WORK_DIR}/parts)
run(TRUE ${common} --iterations 6 --resume --out ${WORK_DIR}/parts)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/whole/model.npz ${WORK_DIR}/parts/model.npz
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "model.npz: a conv run resumed at step 3 differs from the uninterrupted one")
endif()
set(model ${WORK_DIR}/whole/model.npz)
set(data --data mnist:${MNIST} --split test --limit 10)
run(TRUE check --params ${model} --examples 2 --max-entries 0)
if(NOT last_output MATCHES "conv 784-4x28x28-8x14x14.*\npassed")
  message(FATAL_ERROR "check of the conv model file did not pass:\n${last_output}")
endif()
run(TRUE encode ${model} ${data} --out ${WORK_DIR}/codes.npy)
file(READ ${WORK_DIR}/codes.npy header OFFSET 10 LIMIT 70)  # past the magic and the header length
if(NOT header MATCHES "'shape': \\(10, 392\\)")  # 8 channels of 7x7 per example
  message(FATAL_ERROR "encode wrote no (10, 392) code:\n${header}")
endif()
run(TRUE reconstruct ${model} ${data} --out ${WORK_DIR}/x_hat.npy --png ${WORK_DIR}/x_hat.png)
run(TRUE show ${model} ${data} --out ${WORK_DIR}/pictures)
if(NOT EXISTS ${WORK_DIR}/pictures/filters.png OR NOT EXISTS ${WORK_DIR}/pictures/reconstructions.png)
  message(FATAL_ERROR "show drew no filters.png or reconstructions.png:\n${last_output}")
endif()
run(TRUE grad --params ${model} --data ${WORK_DIR}/x_hat.npy --out ${WORK_DIR}/g.npz)
if(NOT last_output MATCHES "loss [0-9].*cross_entropy [0-9]")
  message(FATAL_ERROR "grad printed no loss and terms:\n${last_output}")
endif()
run(TRUE evaluate ${model} ${data} --out ${WORK_DIR}/figures.md)
if(NOT last_output MATCHES "mean \\|\\|dh/dx\\|\\|_F: not computed: a code of 392 units")
  message(FATAL_ERROR "evaluate of a conv model did not say why it skips the Jacobian:\n${last_output}")
endif()
# finetune --from-scratch starts from the model's initial parameters (its seed): from a model
# trained 6 steps and from one trained 2, the same classifier byte for byte.
set(tune --data mnist:${MNIST} --limit 40 --head-iterations 3 --iterations 2 --optimizer adam --progress quiet)
run(TRUE ${common} --iterations 2 --out ${WORK_DIR}/short)
run(TRUE finetune ${model} --from-scratch ${tune} --out ${WORK_DIR}/scratch)
run(TRUE finetune ${WORK_DIR}/short/model.npz --from-scratch ${tune} --out ${WORK_DIR}/scratch-short)
run(TRUE finetune ${model} ${tune} --out ${WORK_DIR}/pretrained)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/scratch/model.npz ${WORK_DIR}/scratch-short/model.npz
                RESULT_VARIABLE differ)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/scratch/model.npz ${WORK_DIR}/pretrained/model.npz
                RESULT_VARIABLE same_as_pretrained)
if(differ OR NOT same_as_pretrained)
  message(FATAL_ERROR "finetune --from-scratch did not start from the model's initial parameters")
endif()
run(FALSE finetune ${WORK_DIR}/scratch/model.npz --from-scratch ${tune} --out ${WORK_DIR}/twice)
if(last_code EQUAL 0 OR NOT last_output MATCHES "already has a softmax head")
  message(FATAL_ERROR "finetune --from-scratch of a classifier was not refused:\n${last_output}")
endif()
message("conv model: trained, resumed byte for byte, checked, encoded, reconstructed, shown, differentiated, evaluated, fine-tuned")
