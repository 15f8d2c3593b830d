"""a4: plot_comparison draws the right curves but labels the loss axis with ten million characters and
leaves out the legend, so 6.1's failure quotes the label. Issue 25, class "parent costs driven by the
student" (a 16 MB results.json before): the grader reads at most 200 characters of a label and caps each
check's feedback, so results.json stays small."""
BASE = "reference"
ASSIGNMENT = "a4_vanishing"
ONLY = ["6.1", "6.2"]
EXPECT_PASS = ["6.2"]
EXPECT_FAIL = ["6.1"]
BUDGET_S = 90
ATTACK = '''
_honest_plot = plot_comparison


def plot_comparison(results):
    fig = _honest_plot(results)
    curves = fig.axes[0]
    curves.get_legend().remove()
    curves.set_ylabel("loss " + "x" * 10_000_000)
    return fig
'''
