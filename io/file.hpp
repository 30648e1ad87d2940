// io/file.hpp: the error type of the io layer, whole-file reads and atomic whole-file writes.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace ae {

// Any failure to read or write a file. The message starts with the file's path and says what is
// wrong, e.g. "data/x.npy: truncated: header promises 800 bytes of data, file has 512".
struct IoError : std::runtime_error {
    IoError(const std::string& path, const std::string& what);
};

// The whole file as bytes.
std::string read_file(const std::string& path);

// Replaces `path` with `bytes` so that readers see the old file or the new one, never a part: the
// bytes go to a temporary file in the same folder, which is fsynced, given mode 0666 & ~umask
// (0644 with umask 022: mkstemp's 0600 would hide users' files from their group) and renamed over
// `path`. On failure the temporary file is removed, `path` is untouched and IoError is thrown.
// Every writer of the io layer (npy, npz, png, svg) goes through here.
void write_file_atomic(const std::string& path, std::string_view bytes);

// The process's umask, read without changing it (from /proc where possible).
unsigned current_umask();

}  // namespace ae
