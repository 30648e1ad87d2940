// optim/checkpoint.cpp: writing, reading and checking training checkpoints.
#include "optim/checkpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <sstream>

#include "optim/train_log.hpp"
#include "util/text.hpp"

#include <zlib.h>

namespace ae {

namespace {

const char* const kFormat = "aezoo-checkpoint-1";
const std::string kParam = "param.", kArray = "optimizer.", kScalar = "optimizer_scalar.";

NpyArray text_entry(const std::string& text) {
    return bytes_to_npy(std::vector<std::uint8_t>(text.begin(), text.end()));
}

std::string entry_text(const NpzEntries& entries, const std::string& name, const std::string& source) {
    const NpyArray& a = npz_entry(entries, name, source);
    if (a.dtype != DType::u8 || a.shape.size() != 1)
        throw IoError(source, "entry '" + name + "' should be 1-D uint8 text, it is " + descr_of(a.dtype) + " " +
                                  npy_shape_str(a.shape));
    return a.data;
}

std::string info_text(const CheckpointInfo& i) {
    std::ostringstream s;
    s << "format=" << kFormat << "\noptimizer=" << i.optimizer << "\nseed=" << i.seed << "\nstep=" << i.step
      << "\nsteps=" << i.steps << "\nbatch_size=" << i.batch_size << "\nexamples=" << i.examples
      << "\ndata=" << i.data << "\nrun=" << i.run << "\nevaluations=" << i.evaluations << "\nseconds=" << number_text(i.seconds)
      << "\nstatus=" << i.status << "\n";
    return s.str();
}

CheckpointInfo parse_info(const std::string& text, const std::string& source) {
    std::map<std::string, std::string> kv;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
    auto get = [&](const std::string& key) -> const std::string& {
        auto it = kv.find(key);
        if (it == kv.end()) throw IoError(source, "the trainer entry has no '" + key + "'");
        return it->second;
    };
    if (get("format") != kFormat)
        throw IoError(source, "checkpoint format '" + get("format") + "' is not " + kFormat);
    auto count = [&](const std::string& key) -> std::uint64_t {
        try {
            std::size_t used = 0;
            const std::uint64_t v = std::stoull(get(key), &used);
            if (used == get(key).size()) return v;
        } catch (const std::logic_error&) {
        }
        throw IoError(source, "the trainer entry's " + key + " = '" + get(key) + "' is not a count");
    };
    CheckpointInfo i;
    i.optimizer = get("optimizer");
    i.seed = count("seed");
    i.step = count("step"), i.steps = count("steps"), i.batch_size = count("batch_size");
    i.examples = count("examples"), i.evaluations = count("evaluations");
    i.data = get("data");
    if (kv.count("run")) i.run = kv["run"];  // checkpoints written before it have none
    i.seconds = std::strtod(get("seconds").c_str(), nullptr);
    i.status = get("status");
    return i;
}

}  // namespace

template <class T>
void write_checkpoint(const std::string& path, const ParamList<T>& params, const CheckpointInfo& info,
                      const OptimizerState& optimizer, const std::string& log) {
    NpzEntries e;
    for (const Named<T>& p : params) e.emplace_back(kParam + p.name, matrix_to_npy(*p.array));
    for (const auto& [key, a] : optimizer.arrays) e.emplace_back(kArray + key, matrix_to_npy(a));
    for (const auto& [key, v] : optimizer.scalars) e.emplace_back(kScalar + key, matrix_to_npy(Array<double>{{v}}));
    e.emplace_back("trainer", text_entry(info_text(info)));
    e.emplace_back("log", text_entry(log));
    write_npz(path, e);
}

Checkpoint read_checkpoint(const std::string& path) {
    const NpzEntries entries = read_npz(path);
    Checkpoint c;
    bool is_checkpoint = false;
    for (const auto& [name, a] : entries) is_checkpoint = is_checkpoint || name == "trainer";
    if (!is_checkpoint) throw IoError(path, "is not a training checkpoint (it has no 'trainer' entry)");
    c.info = parse_info(entry_text(entries, "trainer", path), path);
    c.log = entry_text(entries, "log", path);
    for (const auto& [name, a] : entries) {
        if (starts_with(name, kParam)) {
            c.parameters.emplace_back(name.substr(kParam.size()), a);
        } else if (starts_with(name, kScalar)) {
            const Array<double> v = npy_to_matrix<double>(a, path + ": " + name);
            if (v.size() != 1) throw IoError(path, "entry '" + name + "' should hold one number");
            c.optimizer.scalars[name.substr(kScalar.size())] = v(0, 0);
        } else if (starts_with(name, kArray)) {
            c.optimizer.arrays[name.substr(kArray.size())] = npy_to_matrix<double>(a, path + ": " + name);
        }
    }
    return c;
}

template <class T>
void restore_parameters(const Checkpoint& c, const ParamList<T>& params, const std::string& source) {
    std::string theirs, ours;
    for (const auto& [name, a] : c.parameters) theirs += (theirs.empty() ? "" : ", ") + name;
    for (const Named<T>& p : params) ours += (ours.empty() ? "" : ", ") + p.name;
    if (theirs != ours)
        throw IoError(source, "does not match the model: the checkpoint has parameters " +
                                  (theirs.empty() ? "(none)" : theirs) + ", the model " + ours);
    std::vector<Array<T>> loaded;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Array<T>& a = loaded.emplace_back(npy_to_matrix<T>(c.parameters[i].second, source + ": " + params[i].name));
        if (a.shape() != params[i].array->shape())
            throw IoError(source, "does not match the model: parameter " + params[i].name + " has shape " +
                                      str(shape_of(a)) + " in the checkpoint but " +
                                      str(shape_of(*params[i].array)) + " in the model");
    }
    for (std::size_t i = 0; i < params.size(); ++i)  // all checked first: nothing half-restored
        *params[i].array = std::move(loaded[i]);
}

template <class T>
std::string data_fingerprint(const Array<T>& x, const Array<T>& y) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (const Array<T>* a : {&x, &y}) {
        const auto* bytes = reinterpret_cast<const Bytef*>(a->data());
        const std::size_t n = a->size() * sizeof(T);
        for (std::size_t done = 0; done < n;) {  // crc32 takes at most uInt bytes at a time
            const uInt chunk = uInt(std::min<std::size_t>(n - done, 1u << 30));
            crc = crc32(crc, bytes + done, chunk);
            done += chunk;
        }
    }
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc));
    std::string s = std::string("crc32 ") + hex + " of " + (sizeof(T) == 4 ? "float32 " : "float64 ") + str(shape_of(x));
    return y.size() ? s + " + " + str(shape_of(y)) : s;
}

template <class T>
Checkpoint resume_checkpoint(const std::string& path, const TrainOptions& o, const Array<T>& x, const Array<T>& y,
                             const ParamList<T>& params, Optimizer<T>& optimizer) {
    Checkpoint c = read_checkpoint(path);
    auto same = [&](const std::string& what, const std::string& theirs, const std::string& ours) {
        if (theirs != ours)
            throw std::invalid_argument(path + ": the checkpoint was written with " + what + " = " + theirs +
                                        ", this run has " + ours +
                                        " (a resumed run must keep the optimizer, seed, batch_size and data)");
    };
    same("optimizer", c.info.optimizer, o.optimizer);
    same("seed", std::to_string(c.info.seed), std::to_string(o.seed));
    same("batch_size", std::to_string(c.info.batch_size), std::to_string(o.batch_size));
    same("data", c.info.data, data_fingerprint(x, y));
    if (c.info.run != o.run)
        throw std::invalid_argument(path + ": the checkpoint's run was '" + c.info.run + "', this one is '" + o.run +
                                    "': a resumed run must be the same run (model, options and length may not change)");
    restore_parameters(c, params, path);
    optimizer.set_state(c.optimizer);
    return c;
}

#define AEZOO_INSTANTIATE(T)                                                                             \
    template void write_checkpoint(const std::string&, const ParamList<T>&, const CheckpointInfo&,       \
                                   const OptimizerState&, const std::string&);                           \
    template void restore_parameters(const Checkpoint&, const ParamList<T>&, const std::string&);            \
    template std::string data_fingerprint(const Array<T>&, const Array<T>&);                                 \
    template Checkpoint resume_checkpoint(const std::string&, const TrainOptions&, const Array<T>&,         \
                                          const Array<T>&, const ParamList<T>&, Optimizer<T>&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
