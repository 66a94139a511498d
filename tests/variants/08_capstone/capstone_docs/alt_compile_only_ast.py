"""Alternative: compile(..., PyCF_ONLY_AST), iter_child_nodes, the docstring read by hand.

The capstone is what you will show an employer, and they will read it before they run it: the
README first, then the model card, the pull request that ships the model, the checklist its
reviewer used. A reader trusts a document until one of its numbers turns out to be wrong, and
then trusts none of it. So every number in these documents is the one your code computes, on
the split the document names, and every command in them runs.

The code documents itself too. A public function (one another file calls) says what goes in
and what comes out: type hints on every parameter and the return, and a docstring. You will
not remember to check forty functions by eye, so write the check: `undocumented` reads a
Python file's source with `ast`, without importing it (importing runs the file).

Write:

- undocumented(source): the names of the public functions of a Python file's source text that
  lack a docstring or a type hint, in the order they appear in the file. A public function is
  a `def` or `async def` at the top level of the file (not inside a class, another function or
  an `if` block) whose name does not start with "_". It is documented when its first statement
  is a string that is not blank (its docstring), and every parameter (positional-only, plain,
  keyword-only, *args and **kwargs alike) and its return have an annotation. It never runs
  the source (a capstone file may train a model when it runs): it parses it.
- the documents of DOCUMENTS, in this folder (open each one: it says what it needs):
    - README.md: complete the "Your project" sections: what the system does, how to run it
      (commands in ``` blocks that work as they are pasted), the data, the results (your
      model's and the baseline's test MAE, to the cent, with the cutoff date of the split),
      and at least two known limits;
    - MODEL_CARD.md: every section written; `Cutoff: YYYY-MM-DD`; the rows of each side of the
      split; the metrics table with the numbers `evaluate_capstone` prints; the decision and
      the payback from your business case;
    - PR_DESCRIPTION.md: the pull request that ships the model (what and why, how it was
      tested, metrics with their split, risks, rollback);
    - REVIEW_CHECKLIST.md: yes/no questions for the reviewer in the five areas of Module 7;
    - SELF_ASSESSMENT.toml: the points you think each area earns, before you grade.

Run this file: it evaluates your model the way the documents report it (it needs your
data_pipeline, training and evaluation files working) and lists every public function of the
capstone still missing a type hint or a docstring.

Done when: undocumented finds exactly the functions that miss a hint or a docstring, none of
yours does, and every document is complete, with the numbers of your own evaluation.

Stuck? Run `mlings hint`.
"""

import ast
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = Path(__file__).resolve().parents[2] / "data"
CUTOFF = "2024-01-01"  # train on the sales before it, test on the sales from it on

DOCUMENTS = {
    "readme": "README.md",
    "model_card": "MODEL_CARD.md",
    "pr_description": "PR_DESCRIPTION.md",
    "review_checklist": "REVIEW_CHECKLIST.md",
    "self_assessment": "SELF_ASSESSMENT.toml",
}
CAPSTONE_FILES = (
    "business.py",
    "data_pipeline.py",
    "features.py",
    "training.py",
    "evaluation.py",
    "serving.py",
    "monitoring.py",
    "documentation.py",
)


def undocumented(source: str) -> list[str]:
    """The public top-level functions of `source` that lack a docstring or a type hint.

    Args:
        source: the text of a Python file (it is parsed, never run).

    Returns:
        The functions' names, in the order they appear in the file.
    """

    def has_docstring(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        first = function.body[0]
        return (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and first.value.value.strip() != ""
        )

    def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
        a = function.args
        star = [p for p in (a.vararg, a.kwarg) if p]
        return a.posonlyargs + a.args + star + a.kwonlyargs

    module = compile(source, "<source>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    public = [
        node
        for node in ast.iter_child_nodes(module)
        if type(node) in (ast.FunctionDef, ast.AsyncFunctionDef) and node.name[:1] != "_"
    ]
    return [
        f.name
        for f in public
        if not has_docstring(f)
        or f.returns is None
        or any(p.annotation is None for p in parameters(f))
    ]


def evaluate_capstone(cutoff: str = CUTOFF) -> dict[str, object]:
    """Your model trained and scored as the documents report it (no need to change this).

    Splits data/sales_clean.csv at `cutoff` with your time_split, trains your train_model on
    the earlier sales and scores it with your evaluate on the later ones.

    Returns:
        evaluate's dict (mae_usd, baseline_mae_usd, median_ape, by_tier), plus the cutoff
        and the rows of each side of the split (n_train, n_test).
    """
    from data_pipeline import time_split  # your files, imported only when this runs
    from evaluation import evaluate
    from training import train_model

    sales = pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])
    cards = pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])
    train, test = time_split(sales, cutoff)
    model = train_model(train, cards)
    results = evaluate(model, train, test)
    return {"cutoff": cutoff, "n_train": len(train), "n_test": len(test), **results}


if __name__ == "__main__":
    print("Public functions without a type hint or a docstring:")
    try:
        for name in CAPSTONE_FILES:
            source = (HERE / name).read_text(encoding="utf-8")
            print(f"  {name}: {', '.join(undocumented(source)) or 'none'}")
    except NotImplementedError as todo:
        print(f"  (not done yet: {todo})")

    print(f"\nYour evaluation, as the documents report it (cutoff {CUTOFF}):")
    try:
        results = evaluate_capstone()
    except NotImplementedError as todo:
        raise SystemExit(f"  not done yet: {todo}") from None
    print(f"  Cutoff: {results['cutoff']}")
    print(f"  training sales: {results['n_train']:,}; test sales: {results['n_test']:,}")
    print("  | metric | value |\n  |---|---|")
    print(f"  | MAE (USD) | ${results['mae_usd']:,.2f} |")
    print(f"  | baseline MAE (USD) | ${results['baseline_mae_usd']:,.2f} |")
    print(f"  | median APE | {results['median_ape']:.1%} |")
    for tier, mae in dict(results.get("by_tier", {})).items():
        print(f"  | MAE (USD), {tier} | ${mae:,.2f} |")
    try:
        from business import payback_months, success_criterion

        model_mae, baseline_mae = results["mae_usd"], results["baseline_mae_usd"]
        ships = success_criterion(model_mae, baseline_mae)
        months = payback_months(baseline_mae, model_mae)
    except NotImplementedError as todo:
        raise SystemExit(f"  business.py is not done yet: {todo}") from None
    print(f"  Decision: {'ship' if ships else 'do not ship'}")
    print(f"  Payback: {'never' if months == float('inf') else f'{months:.1f} months'}")
