// cli/aezoo.cpp: the command-line program, with git-style subcommands.
#include <cstdio>
#include <cstring>
#include <exception>

#include "cli/common.hpp"
#include "parallel/communicator.hpp"

namespace {

bool first_process() {
    if (ae::launched_processes() <= 1 || !ae::built_with_mpi()) return true;
    return ae::world().rank() == 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"aezoo: autoencoders on a reverse-mode autodiff tape"};
    app.require_subcommand(1);
    ae::cli::add_train(app);
    ae::cli::add_inspect(app);
    ae::cli::add_check(app);
    ae::cli::add_finetune(app);
    ae::cli::add_models(app);
    try {
        // Only training is data parallel: N copies of another subcommand would write the same files.
        if (ae::launched_processes() > 1 && (argc < 2 || std::strcmp(argv[1], "train") != 0))
            throw ae::CollectiveError("only 'aezoo train' runs on several processes (mpirun -np N); run the others alone");
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const ae::CollectiveError& e) {  // the same on every process: the first says it
        if (first_process()) std::fprintf(stderr, "aezoo: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        // On several processes this one may be alone in failing, the others waiting for it: end the job.
        if (ae::launched_processes() > 1 && ae::built_with_mpi()) ae::world().abort(std::string("aezoo: error: ") + e.what());
        std::fprintf(stderr, "aezoo: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
