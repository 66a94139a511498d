"""The capstone's grader: the rubric, a grade built from check results, and its reports.

`rubric` holds the areas, their points, the bands and the modules to revisit; `grade` runs each
capstone deliverable's hidden checks through the engine (timeouts, memory cap, one child each) with
the grade's seed, and turns passed checks into points; `report` writes the grade as text for the
terminal, JSON, or a markdown page with the learner's own plots.
"""
