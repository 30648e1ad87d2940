// io/npz.cpp: the zip container around .npy entries (PKWARE APPNOTE, without ZIP64).
#include "io/npz.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <zlib.h>

namespace ae {
namespace {

constexpr std::uint32_t local_sig = 0x04034b50, central_sig = 0x02014b50, end_sig = 0x06054b50,
                        zip64_locator_sig = 0x07064b50;
constexpr std::uint16_t dos_date_1980 = (1 << 5) | 1;  // 1980-01-01 00:00: reproducible archives

struct Reader {
    std::string_view s;
    const std::string& source;

    std::uint32_t u(std::size_t at, int bytes) const {
        if (at > s.size() || s.size() - at < std::size_t(bytes))
            throw IoError(source, "truncated: the zip structure at byte " + std::to_string(at) +
                                      " runs past the end of the file");
        std::uint32_t v = 0;
        for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[at + k]);
        return v;
    }
    std::uint16_t u16(std::size_t at) const { return static_cast<std::uint16_t>(u(at, 2)); }
    std::uint32_t u32(std::size_t at) const { return u(at, 4); }
};

void put16(std::string& out, std::uint32_t v) {
    out += char(v & 0xFF);
    out += char((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

std::uint32_t crc_of(std::string_view data) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (std::size_t done = 0; done < data.size();) {  // crc32 takes at most uInt bytes at a time
        uInt n = static_cast<uInt>(std::min<std::size_t>(data.size() - done, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), n);
        done += n;
    }
    return static_cast<std::uint32_t>(crc);
}

// Raw deflate (no zlib header), as zip's method 8 wants.
std::string deflate_raw(std::string_view in) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("npz: deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("npz: deflate failed");
    return out;
}

std::string inflate_raw(std::string_view in, std::size_t size, const std::string& source) {
    z_stream z{};
    if (inflateInit2(&z, -15) != Z_OK) throw IoError(source, "inflateInit2 failed");
    std::string out(size, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_FINISH);
    std::string msg = z.msg ? z.msg : "";
    const std::size_t produced = z.total_out;
    inflateEnd(&z);
    if (rc == Z_STREAM_END && produced == size) return out;
    if (rc == Z_DATA_ERROR) throw IoError(source, "corrupt deflate data: " + msg);
    throw IoError(source, "deflate data does not give the " + std::to_string(size) +
                              " bytes the zip directory promises (got " + std::to_string(produced) + ")");
}

// The end-of-central-directory record: the last 22+ bytes, found by searching back over a comment.
std::size_t find_end_record(const Reader& r) {
    const std::string_view s = r.s;
    if (s.size() >= 22)
        for (std::size_t i = s.size() - 22 + 1, stop = s.size() > 22 + 65535 ? s.size() - 22 - 65535 : 0; i-- > stop;)
            if (r.u32(i) == end_sig && i + 22 + r.u16(i + 20) == s.size()) return i;
    if (s.substr(0, 4) == std::string_view("PK\x03\x04", 4))
        throw IoError(r.source, "truncated: the zip archive's central directory is missing");
    throw IoError(r.source, s.empty() ? "empty file, not an .npz archive" : "not an .npz (zip) archive");
}

}  // namespace

NpzEntries parse_npz(std::string_view bytes, const std::string& source) {
    const Reader r{bytes, source};
    const std::size_t end = find_end_record(r);
    const std::size_t count = r.u16(end + 10), cd_size = r.u32(end + 12), cd_offset = r.u32(end + 16);
    if ((end >= 20 && r.u32(end - 20) == zip64_locator_sig) || count == 0xFFFF || cd_size == 0xFFFFFFFF ||
        cd_offset == 0xFFFFFFFF)
        throw IoError(source, "ZIP64 archives are not supported");
    if (r.u16(end + 4) != 0 || r.u16(end + 6) != 0 || r.u16(end + 8) != count)
        throw IoError(source, "multi-disk zip archives are not supported");
    if (cd_offset > end || end - cd_offset < cd_size)
        throw IoError(source, "corrupt or truncated: the central directory lies outside the file");

    NpzEntries out;
    for (std::size_t k = 0, at = cd_offset; k < count; ++k) {
        if (r.u32(at) != central_sig) throw IoError(source, "corrupt zip central directory entry " + std::to_string(k));
        const std::uint16_t flags = r.u16(at + 8), method = r.u16(at + 10);
        const std::uint32_t crc = r.u32(at + 16), csize = r.u32(at + 20), usize = r.u32(at + 24);
        const std::size_t name_len = r.u16(at + 28), skip = name_len + r.u16(at + 30) + r.u16(at + 32);
        const std::size_t local = r.u32(at + 42);
        if (at + 46 + skip > cd_offset + cd_size)
            throw IoError(source, "corrupt zip: central directory entry " + std::to_string(k) + " overruns it");
        const std::string name(bytes.substr(at + 46, name_len));
        at += 46 + skip;
        const std::string where = source + ":" + name;
        if (csize == 0xFFFFFFFF || usize == 0xFFFFFFFF || local == 0xFFFFFFFF)
            throw IoError(where, "ZIP64 entries are not supported");
        if (flags & 1) throw IoError(where, "encrypted zip entries are not supported");
        if (method != 0 && method != 8)
            throw IoError(where, "zip compression method " + std::to_string(method) + " is not supported");
        if (r.u32(local) != local_sig) throw IoError(where, "corrupt zip: no local header at its offset");
        // The local header's extra field may differ from the central one (NumPy puts ZIP64 sizes there).
        const std::size_t data = local + 30 + r.u16(local + 26) + r.u16(local + 28);
        if (data > bytes.size() || bytes.size() - data < csize)
            throw IoError(where, "truncated: the entry's " + std::to_string(csize) + " bytes run past the end of the file");
        const std::string_view packed = bytes.substr(data, csize);
        if (method == 0 && csize != usize) throw IoError(where, "corrupt zip: stored entry with two sizes");
        if (method == 8 && usize / 1032 > csize)  // deflate expands at most ~1032:1
            throw IoError(where, "corrupt zip: " + std::to_string(csize) + " deflated bytes cannot hold " +
                                     std::to_string(usize));
        const std::string inflated = method == 8 ? inflate_raw(packed, usize, where) : std::string();
        const std::string_view content = method == 8 ? std::string_view(inflated) : packed;  // no copy when stored
        if (crc_of(content) != crc) throw IoError(where, "CRC-32 mismatch: the data is corrupt");
        if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;  // not an array
        std::string key = name.substr(0, name.size() - 4);
        for (const auto& e : out)
            if (e.first == key) throw IoError(where, "the archive holds two entries of this name");
        out.emplace_back(std::move(key), parse_npy(content, where));
    }
    return out;
}

std::string serialize_npz(const NpzEntries& entries, bool compress) {
    if (entries.size() >= 0xFFFF) throw std::invalid_argument("npz: too many entries for a zip without ZIP64");
    std::string out, central;
    for (const auto& [key, array] : entries) {
        const std::string name = key + ".npy";
        if (key.empty() || name.size() > 0xFFFF || name.find('\0') != std::string::npos)
            throw std::invalid_argument("npz: bad entry name '" + key + "'");
        for (const auto& other : entries)
            if (&other.first != &key && other.first == key)
                throw std::invalid_argument("npz: two entries named '" + key + "'");
        const std::string content = serialize_npy(array);
        if (content.size() >= 0xFFFFFFFF) throw std::invalid_argument("npz: entry '" + key + "' needs ZIP64");
        const std::string packed = compress ? deflate_raw(content) : std::string();
        const std::string_view stored = compress ? std::string_view(packed) : std::string_view(content);
        if (out.size() + 30 + name.size() + stored.size() >= 0xFFFFFFFF)
            throw std::invalid_argument("npz: archive would exceed 4 GiB, which needs ZIP64");
        const bool utf8 = std::any_of(name.begin(), name.end(), [](char c) { return c & 0x80; });
        auto common = [&](std::string& h) {  // the fields local and central headers share
            put16(h, 20);                                  // version needed: 2.0
            put16(h, utf8 ? 1 << 11 : 0);                  // flags: UTF-8 names
            put16(h, compress ? 8 : 0);                    // method
            put16(h, 0);                                   // time
            put16(h, dos_date_1980);                       // date
            put32(h, crc_of(content));
            put32(h, static_cast<std::uint32_t>(stored.size()));
            put32(h, static_cast<std::uint32_t>(content.size()));
            put16(h, static_cast<std::uint32_t>(name.size()));
            put16(h, 0);                                   // extra field length
        };
        put32(central, central_sig);
        put16(central, (3 << 8) | 20);  // made by Unix, so unzip restores the mode below
        common(central);
        put16(central, 0);  // comment length
        put16(central, 0);  // disk
        put16(central, 0);  // internal attributes
        put32(central, 0100644u << 16);
        put32(central, static_cast<std::uint32_t>(out.size()));
        central += name;
        put32(out, local_sig);
        common(out);
        out += name;
        out += stored;
    }
    if (out.size() + central.size() >= 0xFFFFFFFF)
        throw std::invalid_argument("npz: archive would exceed 4 GiB, which needs ZIP64");
    const std::size_t cd_offset = out.size();
    out += central;
    put32(out, end_sig);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<std::uint32_t>(entries.size()));
    put16(out, static_cast<std::uint32_t>(entries.size()));
    put32(out, static_cast<std::uint32_t>(central.size()));
    put32(out, static_cast<std::uint32_t>(cd_offset));
    put16(out, 0);  // comment length
    return out;
}

NpzEntries read_npz(const std::string& path) { return parse_npz(read_file(path), path); }

void write_npz(const std::string& path, const NpzEntries& entries, bool compress) {
    write_file_atomic(path, serialize_npz(entries, compress));
}

const NpyArray& npz_entry(const NpzEntries& entries, const std::string& name, const std::string& source) {
    std::string names;
    for (const auto& e : entries) {
        if (e.first == name) return e.second;
        names += (names.empty() ? "" : ", ") + e.first;
    }
    throw IoError(source, "has no array '" + name + "' (it has: " + (names.empty() ? "nothing" : names) + ")");
}

template <class T>
NamedArrays<T> load_npz(const std::string& path) {
    NamedArrays<T> out;
    for (const auto& [name, a] : read_npz(path)) out.emplace_back(name, npy_to_matrix<T>(a, path + ":" + name));
    return out;
}

template <class T>
void save_npz(const std::string& path, const NamedArrays<T>& arrays, bool compress) {
    NpzEntries entries;
    for (const auto& [name, a] : arrays) entries.emplace_back(name, matrix_to_npy(a));
    write_npz(path, entries, compress);
}

template <class T>
const Array<T>& find_array(const NamedArrays<T>& arrays, const std::string& name, const std::string& source) {
    std::string names;
    for (const auto& [n, a] : arrays) {
        if (n == name) return a;
        names += (names.empty() ? "" : ", ") + n;
    }
    throw IoError(source, "has no array '" + name + "' (it has: " + (names.empty() ? "nothing" : names) + ")");
}

template NamedArrays<float> load_npz<float>(const std::string&);
template NamedArrays<double> load_npz<double>(const std::string&);
template void save_npz<float>(const std::string&, const NamedArrays<float>&, bool);
template void save_npz<double>(const std::string&, const NamedArrays<double>&, bool);
template const Array<float>& find_array<float>(const NamedArrays<float>&, const std::string&, const std::string&);
template const Array<double>& find_array<double>(const NamedArrays<double>&, const std::string&, const std::string&);

}  // namespace ae
