// util/threads.cpp: a small pool of helper threads that block on a condition variable between
// passes. OpenBLAS's pthreads build keeps its own threads spinning (with sched_yield) for a while
// after a GEMM; a sleeping helper takes a core only when it has work.
#include "util/threads.hpp"

#include <condition_variable>
#include <cstdlib>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

// OpenBLAS's, weak: another BLAS leaves them null.
extern "C" {
int openblas_get_num_threads(void) __attribute__((weak));
void openblas_read_env(void) __attribute__((weak));
int blas_thread_shutdown_(void) __attribute__((weak));
int blas_thread_init(void) __attribute__((weak));
}

namespace ae {
namespace {

// OpenBLAS's threads spin for 2^OPENBLAS_THREAD_TIMEOUT cycles after each GEMM (2^28 by default,
// about 0.1 s), and the variable is read once, when the library loads. Beside our helpers that spin
// takes a core from the passes between the GEMMs, so unless the user set it, OpenBLAS's threads are
// restarted with a spin of 2^16 cycles, which still covers back-to-back GEMMs.
void shorten_openblas_spin() {
    static std::once_flag once;
    std::call_once(once, [] {
        const char* set = std::getenv("OPENBLAS_THREAD_TIMEOUT");
        if ((set && *set) || !openblas_read_env || !blas_thread_shutdown_ || !blas_thread_init)
            return;
        setenv("OPENBLAS_THREAD_TIMEOUT", "16", 1);
        openblas_read_env();
        blas_thread_shutdown_();
        blas_thread_init();
    });
}

}  // namespace

std::size_t thread_count() {
    if (!openblas_get_num_threads) return 1;
    const int n = openblas_get_num_threads();
    if (n <= 1) return 1;
    shorten_openblas_spin();
    return std::size_t(n);
}

namespace {

thread_local bool in_part = false;

class Pool {
public:
    ~Pool() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_threads) t.join();
    }

    // Returns false (nothing run) when another thread holds the pool.
    bool run(std::size_t parts, void (*part)(void*, std::size_t), void* context) {
        std::unique_lock<std::mutex> busy(m_busy, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            while (m_threads.size() + 1 < parts) {
                const std::size_t index = m_threads.size() + 1;
                m_threads.emplace_back([this, index] { work(index); });
            }
            m_part = part;
            m_context = context;
            m_parts = parts;
            m_pending = parts - 1;
            ++m_round;
        }
        m_wake.notify_all();
        in_part = true;
        part(context, 0);
        in_part = false;
        std::unique_lock<std::mutex> lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending == 0; });
        return true;
    }

private:
    void work(std::size_t index) {
        in_part = true;
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || m_round != seen; });
            if (m_stop) return;
            seen = m_round;
            if (index >= m_parts) continue;  // a round with fewer parts than helpers
            lock.unlock();
            m_part(m_context, index);
            lock.lock();
            if (--m_pending == 0) m_done.notify_one();
        }
    }

    std::mutex m_busy;   // one caller at a time
    std::mutex m_mutex;  // guards the round below
    std::condition_variable m_wake, m_done;
    std::vector<std::thread> m_threads;
    void (*m_part)(void*, std::size_t) = nullptr;
    void* m_context = nullptr;
    std::size_t m_parts = 0, m_pending = 0;
    std::uint64_t m_round = 0;
    bool m_stop = false;
};

}  // namespace

void run_parts(std::size_t parts, void (*part)(void*, std::size_t), void* context) {
    if (parts > 1 && !in_part) {
        static Pool pool;
        if (pool.run(parts, part, context)) return;
    }
    for (std::size_t i = 0; i < parts; ++i) part(context, i);
}

}  // namespace ae
