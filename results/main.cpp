// results/main.cpp: the reproduction suite of issue 5, one result per subcommand.
//
//   aezoo_reproduce N --mnist DIR --out DIR [--seed S] [--float32|--float64] [result options]
//
// N is the result's number in results/README.md; result N is results/resultN_*.cpp, what they
// share is results/common.hpp. Pictures (PNG) and figures.md go into --out; the training logs
// (log.csv) into --out/logs (not committed). Nothing is downloaded: MNIST is read from the IDX
// files in --mnist. Every option that changes the protocol (iterations, epochs, sizes, limits) is a
// flag and is echoed into figures.md, so the figure and its command travel together. Evaluation
// never looks at the test set except to report the final figure.
#include <exception>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "io/file.hpp"
#include "results/common.hpp"

using namespace reproduce;

namespace {

template <class T>
void run(int n, Context& c) {
    switch (n) {
        case 1: return result1_sparse_mnist<T>(c);
        case 2: return result2_self_taught<T>(c);
        case 3: return result3_stacked<T>(c);
        case 4: return result4_k_sparse<T>(c);
        case 5: return result5_denoising<T>(c);
        case 6: return result6_contractive<T>(c);
        case 7: return result7_linear_pca<T>(c);
        case 8: return result8_deep<T>(c);
        default: throw std::invalid_argument("no result " + std::to_string(n) + " (1..8)");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::cout << "usage: aezoo_reproduce N --mnist DIR --out DIR [--seed S] [--float32] [options]\n"
                     "see results/README.md for each result's command\n";
        return argc < 2;
    }
    try {
        const int n = std::stoi(argv[1]);
        Context c;
        c.args = parse(argc, argv, 2);
        c.mnist = c.args.get("mnist", "../shared/data/mnist/");
        c.out = c.args.get("out", "results/" + std::to_string(n));
        c.logs = c.out / "logs";
        c.seed = c.args.count("seed", 1);
        fs::create_directories(c.logs);
        const bool f32 = c.args.flag("float32");
        std::ostringstream command;
        command << "aezoo_reproduce";
        for (int i = 1; i < argc; ++i) command << " " << argv[i];
        c.report.md << "| quantity | value |\n| --- | --- |\n";
        c.report.row("command", "`" + command.str() + "`");
        c.report.row("precision / seed", std::string(f32 ? "float32" : "float64") + " / " + std::to_string(c.seed));
        const auto t0 = Clock::now();
        if (f32) run<float>(n, c);
        else run<double>(n, c);
        c.report.row("wall time of the whole result", ae::number_text(seconds_since(t0), 4) + " s");
        ae::write_file_atomic((c.out / "figures.md").string(), c.report.md.str());
        std::cout << "wrote " << (c.out / "figures.md").string() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "aezoo_reproduce: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
