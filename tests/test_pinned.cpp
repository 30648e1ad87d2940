// tests/test_pinned.cpp: the composition redesign changed no number. Each model file in
// tests/data/v1 was written by the one-dense-layer implementation (see its README) with the loss,
// terms, gradients, codes and reconstructions it computed; today's code loads the file (version 1,
// old parameter names) and must give the same to 1e-12 relative, and again after saving it in
// today's format and loading it back. Models that draw noise have their loss and gradients from
// per-example-noise/ (the noise stream changed when data parallel training came).
#include <doctest/doctest.h>

#include <filesystem>

#include "io/npz.hpp"
#include "models/model.hpp"
#include "optim/recipes.hpp"
#include "terms/losses.hpp"
#include "tests/io_test_util.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using zoo_test::A;
using zoo_test::rel_diff;

namespace {

// Next to this file (tests/data/v1), so the tests run from any folder (CTest runs in the source
// folder, `cd build && ./aezoo_tests` in the build folder).
const std::string dir = [] {
    const std::filesystem::path here = std::filesystem::path(__FILE__).parent_path() / "data" / "v1";
    return (std::filesystem::is_directory(here) ? here : std::filesystem::path("tests/data/v1")).string() + "/";
}();

const A& expected(const NamedArrays<double>& e, const std::string& name) { return find_array(e, name, name); }

// Loss, terms in order and every gradient (by the old parameter name) against the file's.
void same_numbers(const ModelSpec& old_spec, const NamedArrays<double>& e, const std::string& prefix,
                  const ParamList<double>& params, const LossFn<double>& loss) {
    const Evaluation<double> ev = evaluate(params, loss);
    CHECK(rel_diff(A{{ev.total}}, expected(e, prefix + "loss")) <= 1e-12);
    std::size_t terms = 0;
    for (const auto& [name, a] : e)
        if (name.rfind(prefix + "term.", 0) == 0) ++terms;
    REQUIRE(ev.terms.size() == terms);
    for (const auto& term : ev.terms) {
        const std::string name = term.first;  // INFO captures it (a structured binding cannot be)
        INFO(name);
        CHECK(rel_diff(A{{term.second}}, expected(e, prefix + "term." + name)) <= 1e-12);
    }
    std::size_t grads = 0;
    for (const auto& entry : e) {
        const std::string name = entry.first;
        const A& a = entry.second;
        if (name.rfind(prefix + "grad.", 0) != 0) continue;
        ++grads;
        const std::string now = current_parameter_name(old_spec, name.substr(prefix.size() + 5));
        INFO(name << " = " << now);
        std::size_t i = 0;
        while (i < params.size() && params[i].name != now) ++i;
        REQUIRE(i < params.size());
        CHECK(rel_diff(ev.gradient[i], a) <= 1e-12);
    }
    CHECK(grads == params.size());
}

void same_model(const Model<double>& model, const ModelSpec& old_spec, const NamedArrays<double>& e, const A& x) {
    Model<double>& m = const_cast<Model<double>&>(model);
    const A xc = m.centered(x);
    if (m.head()) {
        const A y = one_hot<double>({0, 2, 1, 1, 0}, 3);
        same_numbers(old_spec, e, "", m.classifier_parameters(), m.classifier_loss_fn(xc, y));
        Autoencoder<double> layer2 = stage_autoencoder(m, 1);
        const A f1 = stage_autoencoder(m, 0).encode(xc);
        same_numbers(old_spec, e, "layer2.", layer2.parameters(), layer2.loss_fn(f1, 3));
        CHECK(rel_diff(m.head()->probabilities(m.encode(x)), expected(e, "probabilities")) <= 1e-12);
    } else {
        same_numbers(old_spec, e, "", m.network().parameters(), m.network().loss_fn(xc, 3));
        CHECK(rel_diff(m.reconstruct(x), expected(e, "reconstruct")) <= 1e-12);
    }
    CHECK(rel_diff(m.encode(x), expected(e, "encode")) <= 1e-12);
}

}  // namespace

TEST_CASE("every model gives the numbers of the one-dense-layer implementation, from its version-1 file") {
    const A x = load_npz<double>(dir + "data.npz").at(0).second;
    test::TempDir tmp;
    std::size_t cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        const std::string suffix = ".model.npz";
        if (file.size() < suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
        const std::string name = file.substr(0, file.size() - suffix.size());
        INFO(name);
        ++cases;
        // A model that draws noise: since noise is drawn per example, its loss and gradients are those
        // of per-example-noise/ (its codes and reconstructions, noise-free, are still version 1's).
        const std::string noisy = dir + "per-example-noise/" + name + ".expected.npz";
        const NamedArrays<double> e =
            load_npz<double>(std::filesystem::exists(noisy) ? noisy : dir + name + ".expected.npz");
        const NpzEntries raw = read_npz(dir + file);
        const NpyArray& text = npz_entry(raw, "aezoo.spec", file);
        const ModelSpec old_spec = parse_spec(std::string(text.data.begin(), text.data.end()), file);
        CHECK(old_spec.network.empty());  // version 1
        const Model<double> model = Model<double>::load(dir + file);
        same_model(model, old_spec, e, x);
        // Saved as version 2 and loaded back: the same numbers, from the network the file describes.
        const std::string again = tmp.path + "/" + name + ".npz";
        model.save(again);
        const Model<double> back = Model<double>::load(again);
        same_model(back, old_spec, e, x);
    }
    CHECK(cases == 17);
}
