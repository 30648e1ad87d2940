// cli/aezoo.cpp: the command-line program, with git-style subcommands.
#include <cstdio>
#include <exception>

#include "cli/common.hpp"

int main(int argc, char** argv) {
    CLI::App app{"aezoo: autoencoders on a reverse-mode autodiff tape"};
    app.require_subcommand(1);
    ae::cli::add_train(app);
    ae::cli::add_inspect(app);
    ae::cli::add_check(app);
    ae::cli::add_finetune(app);
    ae::cli::add_models(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aezoo: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
