"""Chinese words the pages show: roles, field names, timeline categories, grade scores."""

from __future__ import annotations

ROLE_LABELS = {"hr": "组织人事", "auditor": "审计", "oversight": "干部监督", "admin": "系统管理员"}

# The order of the growth file's timeline (成长纪实) sections; unknown categories go last.
CATEGORIES = ("基本信息", "职务职级", "挂职交流", "考核评价", "教育培训", "谈心谈话", "培养锻炼", "实绩表现",
              "人才库", "奖惩", "监督管理", "关心关爱", "更正与撤销")

FIELD_LABELS = {
    "effective_on": "生效日期", "document_no": "文号", "reason": "事由",
    "cadre_no": "干部编号", "name": "姓名", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "id_number": "公民身份号码", "political_status": "政治面貌", "education": "学历",
    "full_time_education": "全日制教育", "native_place": "籍贯", "work_started_on": "参加工作时间",
    "entry_channel": "进入方式", "rank": "职级", "party_joined_on": "入党时间", "major": "专业",
    "institution": "毕业院校", "full_time": "全日制", "degree": "学位",
    "unit_code": "单位代码", "post_code": "职位代码", "manner": "任职方式", "selection_case_id": "选任纪实编号",
    "ends_posts": "同时免去的职务", "ends_reason": "免职原因",
    "outcome": "结果", "from_rank": "原职级", "to_rank": "新职级", "grounds": "依据",
    "kind": "类别", "host": "接收单位", "role": "担任职务/角色", "planned_end_on": "计划结束日期",
    "relations_transferred": "转移组织人事工资关系", "secondment_entry_id": "对应的挂职记录",
    "host_evaluation": "接收单位评价", "feedback": "反馈意见",
    "period": "期间", "grade": "等次", "tier": "分类划档", "democratic_score": "民主测评得分", "remarks": "备注",
    "course": "课程/班次", "provider": "培训机构", "started_on": "开始日期", "hours": "学时", "passed": "考核合格",
    "makeup": "补训", "interviewer": "谈话人", "summary": "内容摘要", "trigger": "谈话事由",
    "trigger_entry_id": "引起谈话的记录", "mentor_cadre_id": "导师（干部ID）", "goals": "培养目标",
    "author": "记录人", "note": "内容", "context": "场景", "task": "任务", "narrative": "表现情况",
    "reported_by": "报送单位", "description": "情况描述", "reminded": "提醒对象", "severity": "程度",
    "pool": "人才库", "target_grade": "培养方向（职务层次）", "by": "奖励机关", "track": "处分类别",
    "decision_no": "决定文号", "months": "留党察看期限（月）", "accountability": "属于问责",
    "authority": "审查机关", "investigation_entry_id": "对应的立案记录", "year": "年度", "result": "结果",
    "channel": "来源渠道", "specific": "线索具体", "complaint_entry_id": "对应的信访举报",
    "target_entry_id": "所更正/撤销的记录", "changes": "更正内容",
    "method": "选任方式", "exceptional": "破格", "participants": "参加人数", "votes": "得票",
    "cadre_ids": "考察对象", "cadre_id": "干部", "findings": "考察情况", "check": "核查事项",
    "party_secretary": "党委（党组）书记", "discipline_secretary": "纪委书记（纪检组长）",
    "members_total": "应到会人数", "present": "实到会人数", "start_on": "公示开始", "end_on": "公示结束",
    "objections": "异议件数", "objection_notes": "异议情况",
}

HINTS = {
    "id_number": "18位，末位可为X；须与出生日期一致（GB 11643）",
    "effective_on": "该事项实际发生的日期",
    "goals": "每行一项",
    "period": "如 2023、2023-Q2、2021-2023",
    "hours": "可含小数，如 12.5",
    "ends_posts": "任…免…：勾选本次任职同时免去的职务（列出今天所任职务；按所填生效日期核对，退回时按该日重列）；"
                  "兼任时不适用",
    "ends_reason": "不填则按任职方式记为“调动”或“提拔”",
    "override_reason": "仅在规则拦截且确需如实记录时填写；将记入纪实并由监督人员审阅",
}

# 能力素质曲线: annual grades as points on the curve (不定等次 = no point that year).
ANNUAL_SCORES = {"优秀": 4, "称职": 3, "基本称职": 2, "不称职": 1}
ROUTINE_SCORES = {"好": 4, "较好": 3, "一般": 2, "较差": 1, "优秀": 4, "良好": 3}

STATUS_LABELS = {"open": "未整改", "resolved": "已整改", "overridden": "经批准例外放行"}
# 监督发现's four groups on a date: an open finding is 逾期 once its due date has passed, else 未到期
GROUP_LABELS = {"overdue": "逾期", "not_due": "未到期", "resolved": "已整改", "overridden": "经批准例外放行"}
# A finding's evidence links, by rule: the first entry's label, and the label of the others (numbered).
EVIDENCE_LABELS = {"R-RETROACTIVE": ("补录记录", "受影响的晋升记录")}
WEEKDAYS = "一二三四五六日"


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)
