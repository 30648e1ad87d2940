// models/zoo.hpp: every model of the zoo in one include.
#pragma once
#include "models/basic.hpp"
#include "models/contractive.hpp"
#include "models/conv.hpp"
#include "models/deep.hpp"
#include "models/denoising.hpp"
#include "models/k_sparse.hpp"
#include "models/sparse_kl.hpp"
#include "models/terms.hpp"

