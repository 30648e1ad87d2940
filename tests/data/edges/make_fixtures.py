# Writes the .npy fixtures of tests/cli_edges.cmake (Python's standard library only):
#   x_u8.npy    uint8 pixels, 12 examples of 16 features (one example per row)
#   x_f64.npy   the same pixels as float64 k/255, what the data path must make of x_u8.npy
#   labels_fractional.npy   float64 labels with a 2.7 among them
#   x_huge.npy, x_nan.npy   data whose first loss overflows; data with a NaN
#   x6.npy, labels6_*.npy   5 examples for the 6-input stacked model of tests/data/v1, with labels
import struct

def npy(path, descr, shape, data):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(tuple(shape)))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("ascii") + data)

rows, cols = 12, 16
pixels = [(37 * i + 11 * j * j) % 256 for i in range(rows) for j in range(cols)]
npy("x_u8.npy", "|u1", (rows, cols), bytes(pixels))
npy("x_f64.npy", "<f8", (rows, cols), struct.pack("<%dd" % len(pixels), *[p / 255 for p in pixels]))
labels = [0, 1, 2.7, 1, 0, 2, 1, 0, 2, 1, 0, 1]
npy("labels_fractional.npy", "<f8", (rows,), struct.pack("<%dd" % rows, *labels))
# Item 6: finite values whose squared error overflows, so the first step's loss is inf.
npy("x_huge.npy", "<f8", (rows, cols), struct.pack("<%dd" % len(pixels), *[1e200 + p for p in pixels]))
# A NaN in a data file, refused when the data is read.
npy("x_nan.npy", "<f8", (rows, cols), struct.pack("<%dd" % len(pixels), *[float("nan") if k == 21 else p / 255 for k, p in enumerate(pixels)]))
# Item 8 on a model with a softmax head (tests/data/v1/stacked.model.npz: 6 inputs): 5 examples,
# whole labels, and the same with a fraction or a -1 among them.
npy("x6.npy", "<f8", (5, 6), struct.pack("<30d", *[((7 * k) % 11) / 10 for k in range(30)]))
for name, labels in [("whole", [0, 2, 1, 1, 0]), ("fraction", [0, 2, 1.5, 1, 0]), ("negative", [0, 2, -1, 1, 0])]:
    npy("labels6_%s.npy" % name, "<f8", (5,), struct.pack("<5d", *labels))
