// models/softmax.hpp: softmax regression (multinomial logistic regression; UFLDL's "Softmax
// Regression" exercise), the linear classifier the reproduction suite evaluates features with.
// Built on the tape like the autoencoders: W (classes, features), b (classes, 1), loss
//   -(1/m) sum_t y_t . log softmax(W x_t + b) + (lambda/2) ||W||^2   (the bias is not decayed),
// examples as columns, y one-hot (classes, m). Trained with train(params, x, y, BatchLoss, options).
#pragma once
#include <cstdint>
#include <vector>

#include "models/loss.hpp"

namespace ae {

template <class T>
class SoftmaxRegression {
public:
    // W ~ U[-r, r] with r = sqrt(6) / sqrt(classes + features + 1) (seeded), b = 0. lambda >= 0.
    SoftmaxRegression(std::size_t features, std::size_t classes, double lambda = 1e-4, std::uint64_t seed = 1);

    Array<T> W, b;

    ParamList<T> parameters();  // "softmax.W", "softmax.b"
    double lambda() const { return m_lambda; }

    // p = {W, b} on a tape. Terms "cross_entropy", "weight_decay".
    Loss<T> loss(const Vars<T>& p, const Var<T>& x, const Var<T>& y) const;
    // The same on data (x (features, m), y one-hot (classes, m)); both must outlive the function.
    LossFn<T> loss_fn(const Array<T>& x, const Array<T>& y) const;

    Array<T> probabilities(const Array<T>& x) const;        // (classes, m)
    std::vector<std::size_t> predict(const Array<T>& x) const;

private:
    double m_lambda;
};

extern template class SoftmaxRegression<float>;
extern template class SoftmaxRegression<double>;

}  // namespace ae
