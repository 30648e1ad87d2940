// io/byte_reader.hpp: a file read as a stream of bytes, gunzipped on the fly when it is gzip data,
// with every way of ending early reported as an IoError naming the file.
//
// Why not gzread: when the last read reaches the end of the file, gzread and gzclose report
// nothing for a gzip stream cut inside its 8-byte trailer (or just after the last data byte), so
// a truncated .gz file passes as complete. Driving inflate directly, a stream is complete only
// when inflate says Z_STREAM_END, which it says after checking the CRC-32 and length.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <zlib.h>

#include "io/file.hpp"

namespace ae {

class ByteReader {
public:
    explicit ByteReader(std::string path);
    ~ByteReader();
    ByteReader(const ByteReader&) = delete;
    ByteReader& operator=(const ByteReader&) = delete;

    // Up to n bytes; fewer only at the true end of the data. A cut or corrupt gzip stream throws.
    std::size_t read_some(void* buf, std::size_t n);
    // Exactly n bytes of `what`, or IoError saying how many arrived.
    void read_exact(void* buf, std::size_t n, const std::string& what);
    std::uint32_t read_be32(const std::string& what);  // big-endian, as IDX headers are
    // Nothing may follow the `what` a header announced (and a gzip stream must end cleanly).
    void expect_end(const std::string& what);

    const std::string& path() const { return m_path; }
    bool gzipped() const { return m_gzip; }

private:
    bool refill();  // more input into the buffer; false at the end of the file
    std::size_t read_plain(unsigned char* out, std::size_t n);
    std::size_t inflate_some(unsigned char* out, std::size_t n);

    std::string m_path;
    std::FILE* m_file = nullptr;
    bool m_gzip = false, m_member_done = false;
    z_stream m_z{};
    std::vector<unsigned char> m_in;
    std::uint64_t m_produced = 0;  // bytes handed out so far, for messages
};

}  // namespace ae
