// parallel/mpi.cpp: the communicator over MPI (compiled when AEZOO_MPI is on).
//
// all_sum is a reduce-scatter then an all-gather, written with MPI_Alltoallv and MPI_Allgatherv
// rather than MPI_Allreduce, whose summation order (so its rounding) the library may choose per
// message size and may even differ between processes. Here process r owns the r-th slice of the
// buffer, receives every process's copy of it, sums them in rank order and sends the result to
// all: the same bits everywhere, and each process sends and receives about 2 (N - 1) / N of the
// buffer, as a ring all-reduce does.
#ifdef AEZOO_MPI
#include <mpi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "parallel/communicator.hpp"

namespace ae {

namespace {

template <class T> MPI_Datatype mpi_type();
template <> MPI_Datatype mpi_type<double>() { return MPI_DOUBLE; }
template <> MPI_Datatype mpi_type<float>() { return MPI_FLOAT; }

class Mpi final : public Communicator {
public:
    Mpi() {
        int ready = 0;
        MPI_Initialized(&ready);
        if (!ready) MPI_Init(nullptr, nullptr), m_owner = true;
        MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    }
    ~Mpi() override {
        int done = 0;
        MPI_Finalized(&done);
        if (m_owner && !done) MPI_Finalize();
    }
    int rank() const override { return m_rank; }
    int size() const override { return m_size; }
    void all_sum(double* data, std::size_t n) override { sum(data, n, m_double); }
    void all_sum(float* data, std::size_t n) override { sum(data, n, m_float); }
    void broadcast(std::string& text, int root) override {
        unsigned long long n = text.size();
        MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD);
        text.resize(n);
        if (n) MPI_Bcast(text.data(), int(n), MPI_CHAR, root, MPI_COMM_WORLD);
    }
    [[noreturn]] void abort(const std::string& message) override {
        // One write: stderr is unbuffered, and mpirun's own notice must not land inside the line.
        const std::string line = "process " + std::to_string(m_rank) + " of " + std::to_string(m_size) + ": " + message + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
        std::abort();  // not reached
    }
    std::string describe() const override { return "MPI, " + std::to_string(m_size) + " processes"; }

private:
    template <class T>
    void sum(T* data, std::size_t n, std::vector<T>& received) {
        if (m_size == 1 || n == 0) return;
        const std::size_t p = std::size_t(m_size);
        // Slice r: [first[r], first[r] + count[r]), sizes differing by at most one.
        std::vector<int> count(p), first(p), mine(p), from(p);
        for (std::size_t r = 0; r < p; ++r) {
            first[r] = int(n * r / p);
            count[r] = int(n * (r + 1) / p) - first[r];
        }
        const int own = count[std::size_t(m_rank)];
        for (std::size_t r = 0; r < p; ++r) mine[r] = own, from[r] = int(r) * own;
        received.resize(std::size_t(own) * p);
        MPI_Alltoallv(data, count.data(), first.data(), mpi_type<T>(), received.data(), mine.data(),
                      from.data(), mpi_type<T>(), MPI_COMM_WORLD);
        T* slice = data + first[std::size_t(m_rank)];
        for (int i = 0; i < own; ++i) {
            T s = received[std::size_t(i)];
            for (std::size_t r = 1; r < p; ++r) s += received[r * std::size_t(own) + std::size_t(i)];
            slice[i] = s;
        }
        MPI_Allgatherv(MPI_IN_PLACE, 0, mpi_type<T>(), data, count.data(), first.data(), mpi_type<T>(),
                       MPI_COMM_WORLD);
    }

    int m_rank = 0, m_size = 1;
    bool m_owner = false;
    std::vector<double> m_double;
    std::vector<float> m_float;
};

}  // namespace

Communicator& mpi_world() {
    static Mpi world;
    return world;
}

}  // namespace ae
#endif
