// autodiff/autodiff.hpp: the whole reverse-mode engine in one include.
#pragma once
#include "autodiff/functions.hpp"
#include "autodiff/grad.hpp"
#include "autodiff/ops.hpp"
#include "autodiff/tape.hpp"
