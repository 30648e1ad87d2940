# Writes the .npy fixtures of tests/grad_data.cmake (Python's standard library only):
#   x_u8.npy    uint8 pixels, 12 examples of 16 features (one example per row)
#   x_f64.npy   the same pixels as float64 k/255, what the data path must make of x_u8.npy
#   labels_fractional.npy   float64 labels with a 2.7 among them
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
