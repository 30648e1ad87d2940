// cli/common.hpp: what the subcommands share: model flags, data, pictures.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "io/data.hpp"
#include "io/image.hpp"
#include "models/model.hpp"

namespace ae::cli {

// --model, --hidden, --seed and every model option (--rho, --k, ...) on a subcommand, all from
// the registry (models/registry.hpp).
struct ModelFlags {
    std::string kind = "sparse-kl";
    std::string hidden = "196";  // the encoder's sizes after the input: "196", or "1000,500,250,30"
    std::uint64_t seed = 1;
    std::map<std::string, std::string> values;  // option name -> value, as given
    std::vector<CLI::Option*> flags;           // every model flag, to tell which were given

    void add_to(CLI::App& app);
    ModelSpec spec(std::size_t visible) const;  // only the options the user gave
    std::vector<std::string> given() const;    // the model flags given on the command line
};

// --data, --split, --limit (and patch options) on a subcommand.
struct DataFlags {
    std::string spec = "fashion-mnist";
    std::string split = "train";
    std::size_t limit = 0;  // 0: all
    std::size_t patch_side = 8, patch_count = 10000;
    std::string whitening = "none";

    void add_to(CLI::App& app, bool required);
    template <class T>
    Dataset<T> load() const;
};

// Filter grid of the first layer's weights (filters.png) and inputs beside reconstructions and PCA's with the same code
// size (reconstructions.png). Returns the files written.
std::vector<std::string> write_pictures(const Model<double>& model, const Dataset<double>& data,
                                        const std::string& dir, std::size_t examples = 10);

// Tiles shaped like the data's pictures when a tile has their size (else square tiles).
GridOptions tiles(const Dataset<double>& data, std::size_t values);

std::string join(const std::string& dir, const std::string& file);

void add_train(CLI::App& app);
void add_inspect(CLI::App& app);  // encode, reconstruct, show
void add_check(CLI::App& app);    // check, grad
void add_finetune(CLI::App& app);
void add_models(CLI::App& app);   // the registry: kinds, options, the README's table

}  // namespace ae::cli
