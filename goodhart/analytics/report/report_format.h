// Renders a report JSON (report.h) for people and spreadsheets: a terminal table (org, then one
// row per team, then people when present) and CSV (one row per scope: org, teams, people).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goodhart::analytics::report {

std::string RenderReportTable(const nlohmann::json& report);
std::string RenderReportCsv(const nlohmann::json& report);

}  // namespace goodhart::analytics::report
