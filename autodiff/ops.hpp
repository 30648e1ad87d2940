// autodiff/ops.hpp: the primitives. Each one's forward and VJP sit side by side in ops.cpp.
// All are compiled there once, for float and double.
#pragma once
#include "autodiff/tape.hpp"

namespace ae {

// Element-wise, with 2-D NumPy broadcasting (scalar 1x1, bias column n x 1, row 1 x m, full).
// The VJP sums the cotangent back to each operand's shape.
template <class T> Var<T> add(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> sub(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> mul(const Var<T>& a, const Var<T>& b);  // also: constant masks
template <class T> Var<T> div(const Var<T>& a, const Var<T>& b);  // x/0 gives +-inf (IEEE)

template <class T> Var<T> neg(const Var<T>& x);
template <class T> Var<T> scale(const Var<T>& x, double s);       // s x
template <class T> Var<T> add_scalar(const Var<T>& x, double s);  // x + s
template <class T> Var<T> exp(const Var<T>& x);
// log(0) = -inf with gradient +inf, as IEEE says; a negative entry throws std::domain_error
// naming its value and position (NaN passes through: the trainer reports which term went bad).
template <class T> Var<T> log(const Var<T>& x);
template <class T> Var<T> sqrt(const Var<T>& x);                  // negative entries throw
template <class T> Var<T> square(const Var<T>& x);
template <class T> Var<T> abs(const Var<T>& x);                   // gradient 0 at x = 0
template <class T> Var<T> pow(const Var<T>& x, double p);         // negative base, non-integer p throws
template <class T> Var<T> sigmoid(const Var<T>& x);               // exact 0 and 1 at -+1000, no NaN
template <class T> Var<T> tanh(const Var<T>& x);
template <class T> Var<T> relu(const Var<T>& x);                  // gradient 0 at x = 0
template <class T> Var<T> softplus(const Var<T>& x);              // log(1 + e^x), stable at +-1000

// Matrix products through BLAS: op(a) op(b) where op transposes when the flag is set.
template <class T> Var<T> matmul(const Var<T>& a, const Var<T>& b, bool ta = false, bool tb = false);
// c + op(a) op(b) in one GEMM (BLAS's beta = 1), c of the product's shape. The backward pass adds a
// weight's product cotangent to what it has gathered so far (weight decay's) this way, in place.
template <class T> Var<T> addmm(const Var<T>& c, const Var<T>& a, const Var<T>& b, bool ta = false, bool tb = false);
// op(W) x + b with b a column (n x 1) added to every example: one GEMM, no extra pass. op
// transposes W when tw is set (a tied decoder's W1^T h + b2).
template <class T> Var<T> affine(const Var<T>& W, const Var<T>& x, const Var<T>& b, bool tw = false);
template <class T> Var<T> transpose(const Var<T>& x);

// Shapes: sum_to sums x down to `shape` (each dimension kept or reduced to 1); broadcast_to is its
// adjoint. Sums accumulate in double, so float32 losses keep their digits.
template <class T> Var<T> sum_to(const Var<T>& x, const Shape& shape);
template <class T> Var<T> broadcast_to(const Var<T>& x, const Shape& shape);
template <class T> Var<T> sum_squares(const Var<T>& x);            // sum of x^2, as 1x1
// ||a - b||^2 (1x1) without storing a - b: the squared-error loss's memory is its inputs alone.
template <class T> Var<T> squared_distance(const Var<T>& a, const Var<T>& b);
// sum [softplus(a) - x a] (1x1): binary cross-entropy of x against sigmoid(a), from the logits a,
// stable for any a, in one pass with no array in between. Its VJP: g (sigmoid(a) - x).
template <class T> Var<T> bce_with_logits(const Var<T>& a, const Var<T>& x);
// s (a - b) with s a 1x1: squared_distance's backward as one pass.
template <class T> Var<T> scaled_difference(const Var<T>& a, const Var<T>& b, const Var<T>& s);
// log sum exp along an axis (0: down each column, 1: along each row), shifted by the max.
template <class T> Var<T> logsumexp(const Var<T>& x, int axis);

// g y (1 - y), g (1 - y^2) and g step(y): the sigmoid's, tanh's and relu's backward, each as one
// pass and one buffer instead of two or three.
template <class T> Var<T> sigmoid_grad(const Var<T>& g, const Var<T>& y);
template <class T> Var<T> tanh_grad(const Var<T>& g, const Var<T>& y);
template <class T> Var<T> relu_grad(const Var<T>& g, const Var<T>& y);

// Constants (no gradient flows through a selection): 1 where x > 0, else 0; the sign of x.
template <class T> Var<T> step(const Var<T>& x);
template <class T> Var<T> sign(const Var<T>& x);

// The same entries in another shape (row-major order, so (C * P, m) and (C, P * m) are one array).
template <class T> Var<T> reshape(const Var<T>& x, const Shape& shape);

// ---- images (autodiff/window.hpp: an image per column, flattened channel-major) ----------------
// Each of these is in ops_image.cpp. The three convolution primitives are each other's VJPs, so a
// gradient of a gradient is again convolutions. `w` describes the input image x and the window.
//   conv2d:           x (C*H*W, m), K (O, C*k*k)            -> (O*H'*W', m)    y = K * patches(x)
//   conv2d_transpose: y (O*H'*W', m), K (O, C*k*k)          -> (C*H*W, m)      the adjoint in x
//   conv2d_weight:    x (C*H*W, m), g (O*H'*W', m)          -> (O, C*k*k)      the adjoint in K
// Each is one GEMM per chunk of output pixels, the patches gathered into the tape's workspace.
template <class T> Var<T> conv2d(const Var<T>& x, const Var<T>& K, const Window& w);
template <class T> Var<T> conv2d_transpose(const Var<T>& y, const Var<T>& K, const Window& w);
template <class T> Var<T> conv2d_weight(const Var<T>& x, const Var<T>& g, const Window& w);
// x + b[c] on every pixel of channel c: x (C*P, m), b (C, 1).
template <class T> Var<T> add_channels(const Var<T>& x, const Var<T>& b);
// Pooling over windows that tile without overlap (w: the larger image). sum_pool sums each window;
// upsample repeats each pixel over its window (nearest neighbour); each is the other's adjoint.
template <class T> Var<T> sum_pool(const Var<T>& x, const Window& w);
template <class T> Var<T> upsample(const Var<T>& x, const Window& w);
// A constant: 1 at the first largest entry of each window and example, else 0. Max pooling is
// sum_pool(x * mask) and unpooling upsample(y) * mask, as top-k's mask enters the k-sparse code.
template <class T> Var<T> max_pool_mask(const Var<T>& x, const Window& w);

// ---- across processes (parallel/communicator.hpp) ----------------------------------------------
// The sum of x over the processes that share the tape's batch (Tape::shard), the same bits on
// each; x itself on one process. Its VJP is all_sum of the cotangent: each process's loss is its
// share of the total (optim/evaluator.hpp), so a statistic's cotangent is the sum of the shares'.
template <class T> Var<T> all_sum(const Var<T>& x);

// The one list of primitives (array ops in ops.cpp, image ops in ops_image.cpp, all_sum in ops_parallel.cpp), each by the name it records on the tape and its parameters: ops.cpp
// compiles every one for float and double from it, and tests/test_ops.cpp requires its cases to
// record every one (so a new primitive cannot ship without its first- and second-order checks).
#define AEZOO_PRIMITIVES(X) AEZOO_ARRAY_PRIMITIVES(X) AEZOO_IMAGE_PRIMITIVES(X) AEZOO_PARALLEL_PRIMITIVES(X)
#define AEZOO_ARRAY_PRIMITIVES(X) \
    X(add, (const Var<T>&, const Var<T>&)) \
    X(sub, (const Var<T>&, const Var<T>&)) \
    X(mul, (const Var<T>&, const Var<T>&)) \
    X(div, (const Var<T>&, const Var<T>&)) \
    X(neg, (const Var<T>&)) \
    X(scale, (const Var<T>&, double)) \
    X(add_scalar, (const Var<T>&, double)) \
    X(exp, (const Var<T>&)) \
    X(log, (const Var<T>&)) \
    X(sqrt, (const Var<T>&)) \
    X(square, (const Var<T>&)) \
    X(abs, (const Var<T>&)) \
    X(pow, (const Var<T>&, double)) \
    X(sigmoid, (const Var<T>&)) \
    X(sigmoid_grad, (const Var<T>&, const Var<T>&)) \
    X(tanh, (const Var<T>&)) \
    X(tanh_grad, (const Var<T>&, const Var<T>&)) \
    X(relu, (const Var<T>&)) \
    X(relu_grad, (const Var<T>&, const Var<T>&)) \
    X(softplus, (const Var<T>&)) \
    X(step, (const Var<T>&)) \
    X(sign, (const Var<T>&)) \
    X(matmul, (const Var<T>&, const Var<T>&, bool, bool)) \
    X(addmm, (const Var<T>&, const Var<T>&, const Var<T>&, bool, bool)) \
    X(affine, (const Var<T>&, const Var<T>&, const Var<T>&, bool)) \
    X(transpose, (const Var<T>&)) \
    X(sum_to, (const Var<T>&, const Shape&)) \
    X(broadcast_to, (const Var<T>&, const Shape&)) \
    X(sum_squares, (const Var<T>&)) \
    X(squared_distance, (const Var<T>&, const Var<T>&)) \
    X(bce_with_logits, (const Var<T>&, const Var<T>&)) \
    X(scaled_difference, (const Var<T>&, const Var<T>&, const Var<T>&)) \
    X(logsumexp, (const Var<T>&, int)) \
    X(reshape, (const Var<T>&, const Shape&))
#define AEZOO_IMAGE_PRIMITIVES(X) \
    X(conv2d, (const Var<T>&, const Var<T>&, const Window&)) \
    X(conv2d_transpose, (const Var<T>&, const Var<T>&, const Window&)) \
    X(conv2d_weight, (const Var<T>&, const Var<T>&, const Window&)) \
    X(add_channels, (const Var<T>&, const Var<T>&)) \
    X(sum_pool, (const Var<T>&, const Window&)) \
    X(upsample, (const Var<T>&, const Window&)) \
    X(max_pool_mask, (const Var<T>&, const Window&))
#define AEZOO_PARALLEL_PRIMITIVES(X) X(all_sum, (const Var<T>&))

#define AEZOO_PRIMITIVE_NAME(name, params) #name,
inline constexpr const char* primitive_names[] = {AEZOO_PRIMITIVES(AEZOO_PRIMITIVE_NAME)};
#undef AEZOO_PRIMITIVE_NAME

}  // namespace ae
