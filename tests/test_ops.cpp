// tests/test_ops.cpp: every primitive of ops.hpp's one list, first and second order, against central
// differences.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "autodiff/gradcheck.hpp"
#include "tests/helpers.hpp"

using namespace ae;
using test::uniform;

namespace {

struct Case {
    std::string name;
    Function f;                   // array-valued; projected onto random weights for the check
    std::vector<Shape> shapes;    // one per input
    double lo = -2, hi = 2;       // the domain the inputs are drawn from
    bool distinct = false;        // entries a shuffled even grid over [lo, hi]: no two closer than
                                  // the stencil's reach, so a selection (max pooling) never flips
};

std::vector<Case> primitive_cases() {
    using V = const Vars<double>&;
    const Shape full{3, 4}, col{3, 1}, row{1, 4}, one{1, 1};
    std::vector<Case> cases;
    // Binary element-wise ops with every broadcast an autoencoder needs, on either side.
    for (const auto& [sa, sb] : std::vector<std::pair<Shape, Shape>>{
             {full, full}, {full, col}, {col, full}, {full, row}, {row, full}, {full, one}, {one, full}, {col, row}}) {
        const std::string shapes = " " + str(sa) + " " + str(sb);
        cases.push_back({"add" + shapes, [](V x) { return add(x[0], x[1]); }, {sa, sb}});
        cases.push_back({"sub" + shapes, [](V x) { return sub(x[0], x[1]); }, {sa, sb}});
        cases.push_back({"mul" + shapes, [](V x) { return mul(x[0], x[1]); }, {sa, sb}});
        cases.push_back({"div" + shapes, [](V x) { return div(x[0], x[1]); }, {sa, sb}, 0.5, 2});
    }
    cases.push_back({"neg", [](V x) { return neg(x[0]); }, {full}});
    // On one process the sum over processes is x itself (tests/test_parallel.cpp runs it on two).
    cases.push_back({"all_sum", [](V x) { return all_sum(x[0]); }, {full}});
    cases.push_back({"scale", [](V x) { return scale(x[0], -1.7); }, {full}});
    cases.push_back({"add_scalar", [](V x) { return add_scalar(x[0], 0.3); }, {full}});
    cases.push_back({"exp", [](V x) { return exp(x[0]); }, {full}});
    cases.push_back({"log", [](V x) { return log(x[0]); }, {full}, 0.5, 2});
    cases.push_back({"sqrt", [](V x) { return sqrt(x[0]); }, {full}, 0.5, 2});
    cases.push_back({"square", [](V x) { return square(x[0]); }, {full}});
    cases.push_back({"abs", [](V x) { return abs(x[0]); }, {full}, 0.1, 2});
    cases.push_back({"abs negative", [](V x) { return abs(x[0]); }, {full}, -2, -0.1});
    cases.push_back({"pow 3", [](V x) { return pow(x[0], 3.0); }, {full}});
    cases.push_back({"pow -1.5", [](V x) { return pow(x[0], -1.5); }, {full}, 0.5, 2});
    cases.push_back({"sigmoid", [](V x) { return sigmoid(x[0]); }, {full}, -4, 4});
    cases.push_back({"sigmoid_grad", [](V x) { return sigmoid_grad(x[0], x[1]); }, {full, full}, 0.1, 0.9});
    cases.push_back({"tanh_grad", [](V x) { return tanh_grad(x[0], x[1]); }, {full, full}, -0.9, 0.9});
    cases.push_back({"tanh", [](V x) { return tanh(x[0]); }, {full}});
    cases.push_back({"relu positive", [](V x) { return relu(x[0]); }, {full}, 0.1, 2});
    cases.push_back({"relu negative", [](V x) { return relu(x[0]); }, {full}, -2, -0.1});
    cases.push_back({"relu_grad", [](V x) { return relu_grad(x[0], x[1]); }, {full, full}});
    cases.push_back({"times a step mask", [](V x) { return x[0] * step(x[1]); }, {full, full}});
    cases.push_back({"softplus", [](V x) { return softplus(x[0]); }, {full}, -4, 4});
    cases.push_back({"log_sigmoid", [](V x) { return log_sigmoid(x[0]); }, {full}, -4, 4});
    for (bool ta : {false, true})
        for (bool tb : {false, true})
            cases.push_back({std::string("matmul") + (ta ? " ta" : "") + (tb ? " tb" : ""),
                             [ta, tb](V x) { return matmul(x[0], x[1], ta, tb); },
                             {ta ? Shape{4, 3} : Shape{3, 4}, tb ? Shape{5, 4} : Shape{4, 5}}});
    for (bool ta : {false, true})
        for (bool tb : {false, true})
            cases.push_back({std::string("addmm") + (ta ? " ta" : "") + (tb ? " tb" : ""),
                             [ta, tb](V x) { return addmm(x[0], x[1], x[2], ta, tb); },
                             {{3, 5}, ta ? Shape{4, 3} : Shape{3, 4}, tb ? Shape{5, 4} : Shape{4, 5}}});
    // Weight decay's cotangent reaches W and b first; affine's VJP then adds its products to it
    // (addmm, overwriting it in a first-order sweep).
    cases.push_back({"affine after weight decay", [](V x) {
        const Var<double> y = affine(x[0], x[1], x[2]), decay = sum_squares(x[0]) + sum_squares(x[2]);
        return y + decay;
    }, {{3, 4}, {4, 5}, {3, 1}}});
    // W's cotangent so far is the product's own cotangent (one node in two slots): the GEMM must
    // not overwrite what it reads.
    cases.push_back({"matmul plus its own factor", [](V x) { return matmul(x[0], x[1]) + x[0]; }, {{3, 3}, {3, 3}}});
    cases.push_back({"affine", [](V x) { return affine(x[0], x[1], x[2]); }, {{3, 4}, {4, 5}, {3, 1}}});
    cases.push_back({"affine tw", [](V x) { return affine(x[0], x[1], x[2], true); }, {{4, 3}, {4, 5}, {3, 1}}});
    cases.push_back({"transpose", [](V x) { return transpose(x[0]); }, {full}});
    for (Shape s : {col, row, one})
        cases.push_back({"sum_to " + str(s), [s](V x) { return sum_to(x[0], s); }, {full}});
    for (Shape s : {col, row, one})
        cases.push_back({"broadcast_to from " + str(s), [](V x) { return broadcast_to(x[0], {3, 4}); }, {s}});
    cases.push_back({"sum_squares", [](V x) { return sum_squares(x[0]); }, {full}});
    cases.push_back({"bce_with_logits", [](V x) { return bce_with_logits(x[0], x[1]); }, {full, full}, -3, 3});
    cases.push_back({"bce_with_logits large", [](V x) { return bce_with_logits(x[0], x[1]); }, {{40, 50}, {40, 50}}});
    cases.push_back({"squared_distance", [](V x) { return squared_distance(x[0], x[1]); }, {full, full}});
    cases.push_back({"scaled_difference", [](V x) { return scaled_difference(x[0], x[1], x[2]); }, {full, full, one}});
    cases.push_back({"logsumexp axis 0", [](V x) { return logsumexp(x[0], 0); }, {full}});
    cases.push_back({"logsumexp axis 1", [](V x) { return logsumexp(x[0], 1); }, {full}});
    cases.push_back({"log_softmax axis 0", [](V x) { return log_softmax(x[0], 0); }, {full}});
    cases.push_back({"mean axis 1", [](V x) { return mean(x[0], 1); }, {full}});
    cases.push_back({"reshape", [](V x) { return reshape(x[0], {2, 6}); }, {full}});
    // Images (C x H x W per column, two examples): padding, strides, several channels each way.
    for (const Window& w : {Window{2, 5, 4, 3, 1, 1}, Window{1, 5, 5, 3, 2, 0}, Window{2, 4, 6, 2, 2, 0},
                            Window{3, 3, 3, 3, 1, 2}}) {
        const std::size_t O = 3, P = w.out_pixels();
        const Shape image{w.rows(), 2}, kernel{O, w.patch()}, out{O * P, 2};
        cases.push_back({"conv2d " + w.text(), [w](V x) { return conv2d(x[0], x[1], w); }, {image, kernel}});
        cases.push_back({"conv2d_transpose " + w.text(), [w](V x) { return conv2d_transpose(x[0], x[1], w); }, {out, kernel}});
        cases.push_back({"conv2d_weight " + w.text(), [w](V x) { return conv2d_weight(x[0], x[1], w); }, {image, out}});
    }
    cases.push_back({"add_channels", [](V x) { return add_channels(x[0], x[1]); }, {{6, 3}, {2, 1}}});
    const Window pool{2, 4, 6, 2, 2, 0};
    cases.push_back({"sum_pool", [pool](V x) { return sum_pool(x[0], pool); }, {{48, 2}}});
    cases.push_back({"upsample", [pool](V x) { return upsample(x[0], pool); }, {{12, 2}}});
    cases.push_back({"max pooling", [pool](V x) { return sum_pool(x[0] * max_pool_mask(x[0], pool), pool); },
                     {{48, 2}}, -2, 2, true});
    return cases;
}

std::vector<Array<double>> inputs_for(const Case& c, std::uint64_t seed) {
    std::vector<Array<double>> at;
    for (std::size_t i = 0; i < c.shapes.size(); ++i) {
        at.push_back(uniform(c.shapes[i][0], c.shapes[i][1], c.lo, c.hi, seed * 10 + i));
        if (!c.distinct) continue;
        Array<double>& a = at.back();
        std::vector<double> grid(a.size());
        for (std::size_t k = 0; k < grid.size(); ++k) grid[k] = c.lo + (c.hi - c.lo) * double(k) / double(grid.size());
        std::shuffle(grid.begin(), grid.end(), std::mt19937_64(seed * 10 + i));
        std::copy(grid.begin(), grid.end(), a.begin());
    }
    return at;
}

}  // namespace

TEST_CASE("every primitive: first-order VJP matches central differences at several points") {
    for (const Case& c : primitive_cases()) {
        for (std::uint64_t seed : {1, 2, 3}) {
            const auto at = inputs_for(c, seed);
            const GradCheck r = check_gradient(project(c.f, at, seed), at);
            INFO(c.name << " seed " << seed << ": metric " << r.metric);
            CHECK(r.metric < 1e-9);
        }
    }
}

TEST_CASE("every primitive: second-order (VJP of the VJP) matches central differences") {
    for (const Case& c : primitive_cases()) {
        // Cubed, so that linear primitives have a nonzero Hessian and their VJP's VJP is exercised.
        Function cubed = [f = c.f](const Vars<double>& x) { return pow(f(x), 3.0); };
        for (std::uint64_t seed : {4, 5}) {
            const auto at = inputs_for(c, seed);
            const GradCheck r = check_second_order(project(cubed, at, seed), at);
            INFO(c.name << " seed " << seed << ": metric " << r.metric);
            CHECK(r.passed(1e-8));
        }
    }
}

TEST_CASE("the cases above record every primitive of the one list, forward and in a recorded backward pass") {
    std::set<std::string> recorded;
    for (const Case& c : primitive_cases()) {
        Tape<double> tape;
        Vars<double> x;
        for (const Array<double>& a : inputs_for(c, 1)) x.push_back(tape.leaf(a));
        const Var<double> y = c.f(x);
        vjp(y, x, tape.leaf(Array<double>(xt::ones<double>(y.value().shape()))), true);
        for (std::uint32_t id = 0; id < tape.size(); ++id) recorded.insert(tape.node(id).op);
    }
    for (const char* name : primitive_names) {
        INFO("primitive " << std::string(name));
        CHECK(recorded.count(name) == 1);
    }
}

TEST_CASE("random-direction check agrees with the full check and scales to many parameters") {
    // 100 x 200 = 20,000 parameters: the full check would need 80,000 evaluations; 8 directions need 32.
    const Array<double> W = uniform(100, 200, -0.1, 0.1, 11), x = uniform(200, 30, -1, 1, 12);
    Function f = [&x](const Vars<double>& p) {
        return sum_squares(tanh(matmul(p[0], p[0].tape->borrow(x))));
    };
    const GradCheck r = check_gradient_directional(f, {W}, 8);
    CHECK(r.evaluations == 32);
    CHECK(r.metric < 1e-9);
    // A wrong gradient is caught: same value as f, gradient 1.01 times too large.
    Function wrong = [&x](const Vars<double>& p) {
        Var<double> y = sum_squares(tanh(matmul(p[0], p[0].tape->borrow(x))));
        return 1.01 * y - 0.01 * p[0].tape->leaf(y.value());  // the leaf is a constant copy of y
    };
    CHECK(check_gradient_directional(wrong, {W}, 8).metric > 1e-3);
}
