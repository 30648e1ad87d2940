// tests/kill/kill_resume.cpp: `aezoo train` killed with SIGKILL at random moments, many times (issue 10).
//
//   aezoo_kill_test AEZOO MNIST_DIR WORK_DIR [KILLS [SEED]]
//
// First one uninterrupted run (the reference). Then rounds: a run into a fresh folder is killed
// after a random delay, restarted (--resume when a checkpoint.npz is there, --force when only other
// files are), killed again, ... until a run ends by itself; its model.npz must equal the
// reference's byte for byte, and its log.csv too but for the seconds column (see the known bug below). After every kill,
// checkpoint.npz, model.npz and log.csv must each be absent (only if it was absent before, or the
// run was a --force restart), the old file unchanged, or a new complete one: an .npz archive that
// loads with every size and CRC-32 checked (a checkpoint also has its trainer entry and a step no
// earlier than before), a log whose every line is complete and whose rows are steps 1, 2, ...
// Rounds go on until KILLS kills (default 50) have been checked. Exit 0: all good; 1: a failure;
// 77: MNIST is absent (CTest: SKIP_RETURN_CODE). SEED (default: random) fixes the delays.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "io/npz.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::optional<std::string> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// log.csv without its seconds column (the third): what two equal runs share.
std::string without_seconds(const std::string& csv) {
    std::string out;
    for (const std::string& line : lines_of(csv)) {
        const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
        out += (c == std::string::npos ? line : line.substr(0, b + 1) + line.substr(c + 1)) + "\n";
    }
    return out;
}

// Every line complete: the text ends with a newline, each row has the header's number of cells,
// and the rows are steps 1, 2, 3, ...; returns the number of rows.
std::size_t check_log(const std::string& text) {
    if (text.empty()) throw Failure("log.csv is empty");
    if (text.back() != '\n') throw Failure("log.csv ends inside a line");
    const std::vector<std::string> lines = lines_of(text);
    const auto cells = [](const std::string& s) { return std::count(s.begin(), s.end(), ',') + 1; };
    if (lines[0].rfind("step,epoch,seconds,", 0) != 0) throw Failure("log.csv has no header: " + lines[0]);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (cells(lines[i]) != cells(lines[0]))
            throw Failure("log.csv line " + std::to_string(i + 1) + " is incomplete: " + lines[i]);
        if (lines[i].substr(0, lines[i].find(',')) != std::to_string(i))
            throw Failure("log.csv line " + std::to_string(i + 1) + " is not step " + std::to_string(i) + ": " + lines[i]);
    }
    return lines.size() - 1;
}

// The completed step a checkpoint records.
std::size_t check_checkpoint(const std::string& path) {
    const ae::NpzEntries e = ae::read_npz(path);
    const ae::NpyArray& t = ae::npz_entry(e, "trainer", path);
    ae::npz_entry(e, "log", path);
    for (const std::string& line : lines_of(t.data))
        if (line.rfind("step=", 0) == 0) return std::stoul(line.substr(5));
    throw Failure(path + ": the trainer entry has no step");
}

struct Snapshot {
    std::optional<std::string> checkpoint, model, log;
    std::size_t step = 0;  // the checkpoint's
};

Snapshot snapshot(const std::string& dir) {
    Snapshot s{slurp(dir + "/checkpoint.npz"), slurp(dir + "/model.npz"), slurp(dir + "/log.csv")};
    if (s.checkpoint) s.step = check_checkpoint(dir + "/checkpoint.npz");
    return s;
}

// After a kill: each file absent, old, or a new complete one. Returns the new snapshot.
Snapshot check_after_kill(const std::string& dir, const Snapshot& before, bool forced) {
    const Snapshot now{slurp(dir + "/checkpoint.npz"), slurp(dir + "/model.npz"), slurp(dir + "/log.csv")};
    auto check = [&](const char* name, const std::optional<std::string>& old, const std::optional<std::string>& cur,
                     auto complete) {
        if (!cur) {
            if (old && !forced) throw Failure(std::string(name) + " was there before the kill and is gone");
            return;
        }
        if (old && *old == *cur) return;
        try {
            complete(dir + "/" + name, *cur);
        } catch (const std::exception& e) {
            throw Failure(std::string(name) + " is neither the old file nor a complete new one: " + e.what());
        }
    };
    Snapshot out = now;
    out.step = before.step;
    check("checkpoint.npz", before.checkpoint, now.checkpoint, [&](const std::string& path, const std::string&) {
        out.step = check_checkpoint(path);
        if (!forced && out.step < before.step)
            throw Failure("its step " + std::to_string(out.step) + " is before the old " + std::to_string(before.step));
    });
    check("model.npz", before.model, now.model, [](const std::string& path, const std::string&) { ae::read_npz(path); });
    check("log.csv", before.log, now.log, [](const std::string&, const std::string& text) { check_log(text); });
    return out;
}

// Temporary files of write_file_atomic (".NAME.tmp.XXXXXX") in dir: a kill during a write leaves one.
std::size_t temporaries(const std::string& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir, ec)) n += f.path().filename().string().find(".tmp.") != std::string::npos;
    return n;
}

struct Outcome {
    bool killed = false;
    double seconds = 0;
};

// Runs `args` with output to `log_path`; SIGKILL after `delay` seconds unless it ended before.
Outcome run(const std::vector<std::string>& args, double delay, const std::string& log_path) {
    const auto start = Clock::now();
    std::fflush(nullptr);  // else the child's freopen writes out what the parent had buffered
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        std::FILE* f = std::freopen(log_path.c_str(), "w", stdout);
        if (f) dup2(fileno(stdout), 2);
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::_Exit(127);
    }
    const auto deadline = start + std::chrono::duration<double>(delay);
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    Outcome o;
    if (done == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    o.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
        o.killed = true;
        return o;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Failure("aezoo ended with status " + std::to_string(status) + ":\n" + slurp(log_path).value_or(""));
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s AEZOO MNIST_DIR WORK_DIR [KILLS [SEED]]\n", argv[0]);
        return 2;
    }
    const std::string aezoo = argv[1], mnist = argv[2], work = argv[3];
    const int kills_wanted = argc > 4 ? std::atoi(argv[4]) : 50;
    const std::uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : std::random_device{}();
    if (!fs::exists(mnist + "/train-images-idx3-ubyte.gz")) {
        std::printf("SKIPPED: MNIST not found at %s\n", mnist.c_str());
        return 77;
    }
    const std::vector<std::string> common = {aezoo, "train", "--model", "sparse-kl", "--hidden", "20", "--optimizer",
                                             "adam", "--batch-size", "50", "--data", "mnist:" + mnist, "--limit",
                                             "300", "--iterations", "150", "--checkpoint-every", "1", "--progress",
                                             "quiet", "--seed", "3"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> a = common;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    try {
        fs::remove_all(work);
        fs::create_directories(work);
        const Outcome whole = run(with({"--out", work + "/whole"}), 1e9, work + "/whole.log");
        const std::string reference = slurp(work + "/whole/model.npz").value();
        const std::string reference_log = without_seconds(slurp(work + "/whole/log.csv").value());
        std::printf("seed %llu; an uninterrupted run takes %.2f s\n", (unsigned long long)seed, whole.seconds);

        std::mt19937_64 rng(seed);
        // Kill moments uniform over the first quarter of a whole run: a restart costs its start-up
        // again, so later moments would finish most runs at the first try.
        std::uniform_real_distribution<double> delay(0.0, whole.seconds / 4);
        int kills = 0, rounds = 0, restarts_forced = 0, resumes = 0, mid_write = 0, before_any = 0, at_end = 0, known_bug = 0;
        std::size_t leftovers = 0;
        while (kills < kills_wanted) {
            const std::string dir = work + "/round" + std::to_string(++rounds);
            Snapshot before;
            int attempt = 0;
            for (;;) {
                const bool resume = before.checkpoint.has_value();
                const bool forced = !resume && (before.model || before.log);
                resumes += resume, restarts_forced += forced;
                std::vector<std::string> extra = {"--out", dir};
                if (resume) extra.push_back("--resume");
                if (forced) extra.push_back("--force");
                const std::string log = dir + ".attempt" + std::to_string(++attempt) + ".log";
                const std::size_t temporaries_before = temporaries(dir);
                const Outcome o = run(with(extra), kills < kills_wanted ? delay(rng) : 1e9, log);
                if (!o.killed) break;
                ++kills;
                mid_write += temporaries(dir) > temporaries_before;
                try {
                    before = check_after_kill(dir, before, forced);
                } catch (const Failure& e) {
                    throw Failure("after kill " + std::to_string(kills) + " (round " + std::to_string(rounds) +
                                  ", attempt " + std::to_string(attempt) + ", " + std::to_string(o.seconds) +
                                  " s): " + e.what());
                }
                before_any += !before.checkpoint && !before.log && !before.model;
                at_end += before.model.has_value();
            }
            if (slurp(dir + "/model.npz") != reference)
                throw Failure(dir + "/model.npz differs from the uninterrupted run's (after " +
                              std::to_string(attempt - 1) + " kills)");
            check_log(slurp(dir + "/log.csv").value());
            const std::string log = without_seconds(slurp(dir + "/log.csv").value());
            if (log != reference_log) {
                // Known bug (optim/trainer.cpp, Run<T>::run: `else if (steps_run > 0) save(...)`): a
                // kill after the final checkpoint is written and before log.csv is leaves log.csv a row
                // short, and a --resume, which has no step left to run, writes no log.csv. Tolerated
                // here only exactly so: log.csv a prefix of the uninterrupted log, which the checkpoint
                // holds whole (tests/resume_finished_log.cmake reproduces it without a kill).
                const ae::NpzEntries e = ae::read_npz(dir + "/checkpoint.npz");
                const std::string saved = without_seconds(ae::npz_entry(e, "log", dir).data);
                if (saved != reference_log || reference_log.compare(0, log.size(), log) != 0)
                    throw Failure(dir + "/log.csv differs from the uninterrupted run's but for the seconds");
                ++known_bug;
                std::printf("round %d: KNOWN BUG: log.csv has %zu of the %zu rows its finished checkpoint holds "
                            "(killed between the two writes; the resume ran no step and wrote no log.csv)\n",
                            rounds, lines_of(log).size() - 1, lines_of(saved).size() - 1);
            }
            leftovers += temporaries(dir);
            std::printf("round %d: %d kills, then model.npz identical to the uninterrupted run's\n", rounds,
                        attempt - 1);
        }
        std::printf("%d kills in %d rounds (%d resumes, %d restarts with --force; %d kills during a write, "
                    "%d before the first file, %d with model.npz written): after each, checkpoint.npz, "
                    "model.npz and log.csv absent, old or complete; every resumed run ended with the "
                    "uninterrupted run's model.npz; %zu temporary files left by kills; log.csv a row short (known bug) "
                    "in %d rounds\n",
                    kills, rounds, resumes, restarts_forced, mid_write, before_any, at_end, leftovers, known_bug);
        fs::remove_all(work);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FAILED (seed %llu): %s\n", (unsigned long long)seed, e.what());
        return 1;
    }
}
