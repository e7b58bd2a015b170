"""Reading registers and tracking tables: xlsx (calamine), csv, headers, row numbers, errors."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from renewal_xl.columns import REGISTER
from renewal_xl.errors import SourceError
from renewal_xl.io.register import read_register, read_rows, read_tracking, tidy


def _register_rows():
    header = list(REGISTER.values())
    row = [
        "P001",
        "1M8GDM9AXKP042788",
        "鄂A·12345",
        "张三",
        "13812345678",
        "个人",
        "否",
        "王芳",
        "AG001",
        "专业代理",
        dt.date(2025, 3, 1),
        dt.date(2026, 2, 28),
        3253.15,
        "经济",
        150000,
        dt.date(2023, 9, 1),
        5,
        "否",
        0,
        2,
        0,
        None,
        "武汉分公司",  # 机构
        None,  # 赔款金额
        None,  # 车型
        12,  # 驾龄
        "邮寄",  # 送单方式
    ]
    return header, row


def test_xlsx_register_sheet_chinese_headers_and_row_numbers(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("保单台账")
    header, row = _register_rows()
    ws.append(header)
    ws.append(row)
    ws.append([None] * len(header))  # an empty row is dropped, numbering keeps the sheet's
    ws.append(["P002"] + row[1:])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    reg = read_register(path).frame
    assert reg.index.tolist() == [2, 4]
    assert reg["policy_no"].tolist() == ["P001", "P002"]
    assert reg.loc[2, "end_date"] == dt.date(2026, 2, 28)
    assert reg.loc[2, "premium"] == 3253.15


def test_first_sheet_when_no_register_sheet_and_english_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header, row = _register_rows()
    ws.append(list(REGISTER))
    ws.append(row)
    path = tmp_path / "r.xlsx"
    wb.save(path)
    assert read_register(path).frame["vin"].tolist() == ["1M8GDM9AXKP042788"]


def test_csv_utf8_bom(tmp_path):
    header, row = _register_rows()
    frame = pd.DataFrame([row], columns=header)
    path = tmp_path / "r.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    reg = read_register(path).frame
    assert reg.loc[2, "policy_no"] == "P001" and reg.loc[2, "phone"] == "13812345678"
    assert reg.loc[2, "commission_rate"] == ""


def test_csv_gbk_is_read_and_binary_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("保单号,车架号\nP1,V1\n".encode("gbk"))
    assert read_register(path, required=("policy_no", "vin")).frame["vin"].tolist() == ["V1"]
    path.write_bytes(b"\x00\xff\xfe\x81" * 100)
    with pytest.raises(SourceError, match="文件 r.csv: 不是 UTF-8 或 GB18030/GBK 编码"):
        read_register(path)


def test_missing_columns_named_with_file_and_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "保单台账"
    wb.active.append(["保单号", "车架号"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    with pytest.raises(SourceError) as info:
        read_register(path)
    text = str(info.value)
    assert text.startswith("文件 r.xlsx 工作表 保单台账: 缺少必填列: 车牌号(plate) 客户名称(customer)")
    assert "手续费率" not in text  # optional


def test_doubled_column_and_missing_file(tmp_path):
    frame = pd.DataFrame([["P1", "P1"]], columns=["保单号", "policy_no"])
    with pytest.raises(SourceError, match="列重复: 保单号\\(policy_no\\)"):
        tidy(frame, REGISTER, (), "工作表 保单台账")
    with pytest.raises(SourceError, match="文件不存在"):
        read_register(tmp_path / "none.xlsx")
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(SourceError, match="只支持"):
        read_rows(tmp_path / "x.txt", None, first_sheet=True)


def test_tracking_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "保单台账"
    ws = wb.create_sheet("续保跟踪")
    ws.append(["保单号", "跟进状态", "脱保原因", "转投公司", "备注"])
    ws.append(["P1", "未续保", "价格", "某财险", None])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    tracking = read_tracking(path, first_sheet=False)
    assert tracking is not None
    assert tracking.frame[["policy_no", "lapse_reason", "next_insurer"]].values.tolist() == [["P1", "价格", "某财险"]]
    wb.remove(wb["续保跟踪"])
    wb.save(path)
    assert read_tracking(path, first_sheet=False) is None
