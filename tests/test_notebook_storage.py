"""Lesson notebooks are stored as source: text outputs only, no widget state, no images."""

import json

import pytest
from helpers import load_script

store = load_script("store_notebooks")
NOTEBOOKS = sorted(store.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_as_source(path):
    assert store.problems(path) == []


def test_strip_removes_widget_state_and_images_and_keeps_text(tmp_path):
    nb = json.loads(NOTEBOOKS[1].read_text(encoding="utf-8"))
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb["cells"].append({"cell_type": "code", "execution_count": 1, "id": "probe", "metadata": {},
                        "source": ["mc.hip_demo()"], "outputs": [{
                            "output_type": "display_data", "metadata": {"image/png": {}},
                            "data": {"image/png": "iVBORw0KGgo" * 20_000,
                                     "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                     "text/plain": ["HipDemo(angle=30)"]}}]})
    planted = tmp_path / NOTEBOOKS[1].name
    planted.write_text(json.dumps(nb), encoding="utf-8")
    found = store.problems(planted)
    assert any("saved widget state" in line for line in found)
    assert any("image/png" in line and "widget-view" in line for line in found)
    assert any("more than 150,000" in line for line in found)

    stripped = store.strip(nb)
    planted.write_text(json.dumps(stripped), encoding="utf-8")
    assert store.problems(planted) == []
    assert stripped["cells"][-1]["outputs"][0]["data"] == {"text/plain": ["HipDemo(angle=30)"]}
    assert [c["source"] for c in stripped["cells"]] == [c["source"] for c in nb["cells"]]
    assert "widgets" in nb["metadata"], "strip must not change its argument"


def test_check_mode_exits_non_zero_on_a_stored_image(tmp_path):
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": 1, "id": "probe", "metadata": {},
                        "source": [], "outputs": [{"output_type": "display_data", "metadata": {},
                                                   "data": {"image/png": "AAAA"}}]})
    planted = tmp_path / "00_probe.ipynb"
    planted.write_text(json.dumps(nb), encoding="utf-8")
    assert store.main(["--check", str(planted)]) == 1
    assert store.main(["--check", str(NOTEBOOKS[0])]) == 0
