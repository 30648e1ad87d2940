// io/io.hpp: the data and picture layer in one include (IDX, .npy/.npz, PNG, SVG, patches).
#pragma once
#include "io/chart.hpp"
#include "io/data.hpp"
#include "io/file.hpp"
#include "io/idx.hpp"
#include "io/image.hpp"
#include "io/npy.hpp"
#include "io/npz.hpp"
#include "io/patches.hpp"
#include "io/whitening.hpp"
