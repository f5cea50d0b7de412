"""Dumps an xlsx workbook as JSON for the workbook tests: per sheet its state, freeze
panes, print setup and every non-empty cell (formula text and value), read with openpyxl
both as formulas and as cached values."""
import json
import sys

import openpyxl


def dump(path):
    formulas = openpyxl.load_workbook(path, data_only=False)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {"sheets": [], "names": sorted(formulas.defined_names.keys()) if hasattr(formulas.defined_names, "keys") else []}
    for ws in formulas.worksheets:
        wv = values[ws.title]
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                v = wv[c.coordinate].value
                # A formula by the cell's type: a text that starts with "=" is text.
                f = c.value if c.data_type == "f" else None
                if f is None and v is None:
                    continue
                if hasattr(v, "isoformat"):
                    v = v.isoformat()
                cells[c.coordinate] = {"f": f, "v": v, "fmt": c.number_format}
        ps = ws.page_setup
        out["sheets"].append(
            {
                "name": ws.title,
                "state": ws.sheet_state,
                "freeze": ws.freeze_panes,
                "orientation": ps.orientation,
                "fitToWidth": ps.fitToWidth,
                "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "validations": len(ws.data_validations.dataValidation),
                "cells": cells,
            }
        )
    return out


if __name__ == "__main__":
    json.dump(dump(sys.argv[1]), sys.stdout)
