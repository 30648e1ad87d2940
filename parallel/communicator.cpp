// parallel/communicator.cpp: one process, and which communicator world() is.
#include "parallel/communicator.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace ae {

bool Communicator::any(bool mine) {
    double flag = mine ? 1 : 0;
    all_sum(&flag, 1);
    return flag > 0;
}

std::string Communicator::first_message(const std::string& mine) {
    // Which rank speaks: the lowest with a message (a sum of one-hot flags, exact in double).
    std::vector<double> has(std::size_t(size()), 0.0);
    has[std::size_t(rank())] = mine.empty() ? 0 : 1;
    all_sum(has.data(), has.size());
    for (int r = 0; r < size(); ++r)
        if (has[std::size_t(r)] > 0) {
            std::string text = mine;
            broadcast(text, r);
            return text;
        }
    return "";
}

void Communicator::agree(const std::function<void()>& f) {
    if (size() == 1) return f();
    std::string error;
    try {
        f();
    } catch (const std::exception& e) {
        error = e.what();
    }
    const std::string first = first_message(error);
    if (!first.empty()) throw CollectiveError(first);
}

namespace {

class Serial final : public Communicator {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    void all_sum(double*, std::size_t) override {}
    void all_sum(float*, std::size_t) override {}
    void broadcast(std::string&, int) override {}
    [[noreturn]] void abort(const std::string& message) override {
        std::cerr << message << "\n";
        std::exit(1);
    }
    std::string describe() const override { return "1 process"; }
};

}  // namespace

long launched_processes() {
    // Open MPI's mpirun, then PMI (MPICH's mpiexec, srun --mpi=pmi2); PMIx (srun --mpi=pmix) gives
    // a rank but not always the count.
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
        if (const char* v = std::getenv(name)) return std::max(1L, std::strtol(v, nullptr, 10));
    return std::getenv("PMIX_RANK") ? 1 : 0;
}

Communicator& serial() {
    static Serial s;
    return s;
}

#ifndef AEZOO_MPI
bool built_with_mpi() { return false; }

Communicator& world() {
    if (launched_processes() > 1)
        throw std::runtime_error(
            "started as one of " + std::to_string(launched_processes()) +
            " processes, but this aezoo was built without MPI: each would train alone and overwrite the "
            "others' files. Install libopenmpi-dev and rebuild (CMake finds MPI and sets AEZOO_MPI=ON)");
    return serial();
}
#else
Communicator& mpi_world();  // parallel/mpi.cpp

bool built_with_mpi() { return true; }

Communicator& world() { return launched_processes() > 0 ? mpi_world() : serial(); }
#endif

}  // namespace ae
