// parallel/communicator.hpp: the processes that train one model together (data parallel, as
// Horovod and PyTorch's DDP do it): the same parameters everywhere, each process a shard of every
// batch, the loss and gradients summed across processes at one place (optim/evaluator.hpp), and
// batch statistics summed on the tape (all_sum in autodiff/ops.hpp).
//
// The sums are deterministic: every process gets the same bits, each entry summed in rank order,
// whatever the MPI library's own algorithms do. So every process takes the same decisions (an
// L-BFGS line search, a NaN stop), and a run's result depends on the number of processes only
// through the rounding of those sums.
//
//   Communicator& c = world();     // one process, or every process of `mpirun -np N`
//   if (c.rank() == 0) write(...);
#pragma once
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>

namespace ae {

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;  // 0 .. size() - 1
    virtual int size() const = 0;
    // data[i] becomes the sum over the processes of their data[i] (every process passes the same n).
    virtual void all_sum(double* data, std::size_t n) = 0;
    virtual void all_sum(float* data, std::size_t n) = 0;
    // Every process gets root's text.
    virtual void broadcast(std::string& text, int root) = 0;
    // Ends every process of the job at once, after printing the message (for an error some
    // processes cannot know about: they may be waiting in a sum this process will never join).
    [[noreturn]] virtual void abort(const std::string& message) = 0;
    // A short description, "1 process" or "MPI, 4 processes".
    virtual std::string describe() const = 0;

    // True on every process when `mine` is true on one of them: a collective decision.
    bool any(bool mine);
    // The first message (by rank) among the processes' non-empty ones; "" when all are empty.
    std::string first_message(const std::string& mine);
    // Runs f on every process; an error on any is thrown on all, as a CollectiveError with the
    // first process's message (on one process, as it is). f may make collective calls only before
    // it can throw, so that a process that failed is never awaited in one.
    void agree(const std::function<void()>& f);
};

// An error raised on every process at once, with the same message (a collective decision): each
// may report it and end normally; any other error on one process must end the job (abort).
struct CollectiveError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The number of processes a launcher (mpirun, srun) started; 0 when none did (1 when it did but
// does not say how many).
long launched_processes();

// This process alone.
Communicator& serial();
// The processes of this job: all of them when started by mpirun (or srun) in a build with MPI,
// else this one. Under a launcher with more than one process, a build without MPI throws (N
// copies of a serial run would overwrite each other's files).
Communicator& world();
// Whether this build can run on more than one process.
bool built_with_mpi();

}  // namespace ae
