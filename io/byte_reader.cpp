// io/byte_reader.cpp: plain or gzip input through one interface (inflate with gzip decoding).
#include "io/byte_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

namespace ae {

ByteReader::ByteReader(std::string path) : m_path(std::move(path)), m_in(1 << 16) {
    m_file = std::fopen(m_path.c_str(), "rb");
    if (!m_file) throw IoError(m_path, std::string("cannot open for reading: ") + std::strerror(errno));
    try {
        refill();
    } catch (...) {  // e.g. a folder: fopen succeeds, reading fails
        std::fclose(m_file);
        throw;
    }
    m_gzip = m_z.avail_in >= 2 && m_z.next_in[0] == 0x1F && m_z.next_in[1] == 0x8B;
    if (m_gzip && inflateInit2(&m_z, 15 + 16) != Z_OK) {  // 16: gzip wrapper only
        std::fclose(m_file);
        throw std::bad_alloc();
    }
}

ByteReader::~ByteReader() {
    if (m_gzip) inflateEnd(&m_z);
    std::fclose(m_file);
}

bool ByteReader::refill() {
    const std::size_t got = std::fread(m_in.data(), 1, m_in.size(), m_file);
    if (got == 0 && std::ferror(m_file)) throw IoError(m_path, std::string("read error: ") + std::strerror(errno));
    m_z.next_in = m_in.data();
    m_z.avail_in = static_cast<uInt>(got);
    return got > 0;
}

std::size_t ByteReader::read_plain(unsigned char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n && (m_z.avail_in > 0 || refill())) {
        const std::size_t k = std::min<std::size_t>(m_z.avail_in, n - got);
        std::memcpy(out + got, m_z.next_in, k);
        m_z.next_in += k;
        m_z.avail_in -= static_cast<uInt>(k);
        got += k;
    }
    return got;
}

std::size_t ByteReader::inflate_some(unsigned char* out, std::size_t n) {
    m_z.next_out = out;
    m_z.avail_out = static_cast<uInt>(n);
    while (m_z.avail_out > 0) {
        if (m_member_done) {  // a clean end, or another gzip member (as `cat a.gz b.gz` makes)
            if (m_z.avail_in == 0 && !refill()) break;
            if (m_z.next_in[0] != 0x1F)
                throw IoError(m_path, "unexpected bytes after the end of the gzip stream");
            inflateReset(&m_z);
            m_member_done = false;
        }
        if (m_z.avail_in == 0 && !refill())
            throw IoError(m_path, "truncated: the gzip stream ends early (after " +
                                      std::to_string(m_produced + n - m_z.avail_out) + " bytes of data)");
        const int rc = inflate(&m_z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) m_member_done = true;
        else if (rc == Z_MEM_ERROR) throw std::bad_alloc();
        else if (rc != Z_OK && !(rc == Z_BUF_ERROR && m_z.avail_in == 0))
            throw IoError(m_path, std::string("corrupt gzip data: ") + (m_z.msg ? m_z.msg : "zlib error " + std::to_string(rc)));
    }
    return n - m_z.avail_out;
}

std::size_t ByteReader::read_some(void* buf, std::size_t n) {
    auto* out = static_cast<unsigned char*>(buf);
    std::size_t got = 0;
    while (got < n) {  // avail_out is 32-bit: large reads go in slices
        const std::size_t want = std::min<std::size_t>(n - got, std::size_t(1) << 30);
        const std::size_t k = m_gzip ? inflate_some(out + got, want) : read_plain(out + got, want);
        got += k;
        m_produced += k;
        if (k < want) break;
    }
    return got;
}

void ByteReader::read_exact(void* buf, std::size_t n, const std::string& what) {
    const std::size_t got = read_some(buf, n);
    if (got < n)
        throw IoError(m_path, "truncated: expected " + std::to_string(n) + " bytes of " + what +
                                  ", the file ends after " + std::to_string(got));
}

std::uint32_t ByteReader::read_be32(const std::string& what) {
    unsigned char b[4];
    read_exact(b, 4, what);
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
}

void ByteReader::expect_end(const std::string& what) {
    unsigned char extra;
    if (read_some(&extra, 1) != 0)
        throw IoError(m_path, "unexpected data after the " + what + " the header announces");
}

}  // namespace ae
