// cli/models.cpp: aezoo models: the registry's kinds and their options, or its Markdown table
// (the README's, which a test keeps equal to this output).
#include <cstdio>
#include <memory>

#include "cli/common.hpp"
#include "models/terms.hpp"

namespace ae::cli {

void add_models(CLI::App& app) {
    auto markdown = std::make_shared<bool>(false);
    CLI::App* m = app.add_subcommand("models", "the model kinds, their options, and the loss terms a model file may name");
    m->add_flag("--markdown", *markdown, "the README's table of model kinds");
    m->callback([markdown] {
        if (*markdown) {
            std::printf("%s", model_table_markdown().c_str());
            return;
        }
        for (const ModelKind& k : model_kinds()) {
            std::printf("%s (%s): %s\n", k.name.c_str(), k.paper.c_str(), k.summary.c_str());
            for (const OptionSpec& o : k.options) std::printf("  --%s\n", o.describe().c_str());
        }
        std::printf("\nloss terms (model files: term = NAME OPTION VALUE ...):\n");
        for (const TermKind& t : term_kinds()) {
            std::printf("  %s: %s\n", t.name.c_str(), t.help.c_str());
            for (const OptionSpec& o : t.options) std::printf("    %s\n", o.describe().c_str());
        }
    });
}

}  // namespace ae::cli
