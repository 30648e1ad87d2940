// io/file.cpp: whole-file reads and the atomic write every writer uses.
#include "io/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/text.hpp"

namespace ae {

IoError::IoError(const std::string& path, const std::string& what)
    : std::runtime_error(path + ": " + what) {}

namespace {

std::string errno_text() { return std::strerror(errno); }

std::string parent_dir(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Writes all of `bytes` to fd, retrying short writes and EINTR.
bool write_all(int fd, std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

// Makes the rename itself durable; failures here are not worth reporting (the data is safe).
void fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::string read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw IoError(path, "cannot open for reading: " + errno_text());
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw IoError(path, "is a folder, not a file");
    }
    std::string out;
    if (S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::string why = errno_text();
            ::close(fd);
            throw IoError(path, "read error: " + why);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

unsigned current_umask() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (starts_with(line, "Umask:")) return static_cast<unsigned>(std::stoul(line.substr(6), nullptr, 8));
    // No /proc: umask() can only be read by setting it, so set it back at once, under a lock.
    static std::mutex m;
    std::lock_guard<std::mutex> lock(m);
    mode_t old = ::umask(022);
    ::umask(old);
    return old;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
    if (path.empty()) throw IoError("(empty path)", "cannot write a file with an empty name");
    struct stat st {};
    if (path.back() == '/' || (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)))
        throw IoError(path, "is a folder: give the name of a file to write");
    const std::string dir = parent_dir(path);
    const std::string base = path.substr(path.find_last_of('/') + 1);
    std::string tmp = (dir == "/" ? "" : dir) + "/." + base + ".tmp.XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw IoError(path, "cannot create a temporary file in " + dir + ": " + errno_text());

    auto fail = [&](const std::string& what) {
        std::string why = what + ": " + errno_text();
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        throw IoError(path, why);
    };
    if (!write_all(fd, bytes)) fail("write failed");
    if (::fchmod(fd, 0666 & ~current_umask()) != 0) fail("cannot set the file mode");
    if (::fsync(fd) != 0) fail("fsync failed");
    int closed = ::close(fd);
    fd = -1;
    if (closed != 0) fail("close failed");
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename the temporary file over it");
    fsync_dir(dir);
}

}  // namespace ae
