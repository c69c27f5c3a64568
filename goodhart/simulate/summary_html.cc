// FormatHtml: one self-contained page (no scripts, no external files) with inline SVG bar charts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/simulate/summary.h"

namespace goodhart::simulate {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Horizontal bars from a zero line: one per (label, value) in [-100, 100].
std::string Bars(const std::vector<std::pair<std::string, double>>& rows, double lo, double hi,
                 std::string_view unit) {
  const int width = 520, label = 130, row = 18;
  const int height = static_cast<int>(rows.size()) * row + 10;
  auto x = [&](double v) {
    return label +
           static_cast<double>(width - label - 50) * (std::clamp(v, lo, hi) - lo) / (hi - lo);
  };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-size='11' "
      "font-family='sans-serif'>",
      width, height);
  svg += fmt::format("<line x1='{:.1f}' y1='0' x2='{:.1f}' y2='{}' stroke='#888'/>", x(0), x(0),
                     height);
  for (size_t i = 0; i < rows.size(); ++i) {
    double y = static_cast<double>(i) * row + 4;
    double a = x(0), b = x(rows[i].second);
    svg += fmt::format("<text x='0' y='{:.0f}'>{}</text>", y + 11, Escape(rows[i].first));
    svg +=
        fmt::format("<rect x='{:.1f}' y='{:.0f}' width='{:.1f}' height='12' fill='{}'/>",
                    std::min(a, b), y, std::abs(b - a), rows[i].second > 0 ? "#c0392b" : "#2e86c1");
    svg += fmt::format("<text x='{:.1f}' y='{:.0f}'>{:.0f}{}</text>", std::max(a, b) + 4, y + 11,
                       rows[i].second, unit);
  }
  return svg + "</svg>";
}

}  // namespace

std::string FormatHtml(const Summary& s) {
  const auto& strategies = Strategies();
  std::string html =
      "<!doctype html><html><head><meta charset='utf-8'><title>goodhart simulate</title><style>"
      "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
      "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
      "td:first-child,th:first-child{text-align:left}.pass{color:#1e8449}.fail{color:#c0392b}"
      ".chart{display:inline-block;margin:0 1em 1em 0;vertical-align:top}pre{background:#f4f4f4;"
      "padding:1em;overflow:auto}</style></head><body>";
  html += fmt::format(
      "<h1>The Goodhart test</h1><p>{} teams &times; {} engineers, {} runs per seed. Cells: "
      "median rank uplift of the gamer in percentile points [p90]. Result: <b class='{}'>{}</b>"
      "</p>",
      s.org.teams, s.org.engineers_per_team, s.runs, s.pass ? "pass" : "fail",
      s.pass ? "PASS" : "FAIL");
  if (!s.command.empty()) {
    html += "<p><code>" + Escape(s.command) + "</code></p>";
  }
  html += "<h2>Pass criteria (metrics.md &sect;6.6)</h2><ul>";
  for (const auto& c : s.criteria) {
    html += fmt::format("<li><b class='{}'>{} {}</b> {}<ul>", c.pass ? "pass" : "fail", c.id,
                        !c.measured ? "n/a" : (c.pass ? "PASS" : "FAIL"), Escape(c.name));
    for (const auto& d : c.details) {
      html += "<li>" + Escape(d) + "</li>";
    }
    html += "</ul></li>";
  }
  html += "</ul>";
  for (const auto& seed : s.seeds) {
    html += fmt::format("<h2>Seed {}</h2><table><tr><th>strategy</th>", seed.seed);
    for (int m = 0; m < kMetricCount; ++m) {
      html += fmt::format("<th>{}</th>", MetricName(m));
    }
    html += "<th>detected</th></tr>";
    for (size_t i = 0; i < strategies.size(); ++i) {
      html += fmt::format("<tr><td>{} ({})</td>", strategies[i].name, strategies[i].id);
      for (int m = 0; m < kMetricCount; ++m) {
        const Cell& c = seed.uplift[i][static_cast<size_t>(m)];
        html += fmt::format("<td>{:+.0f} [{:+.0f}]</td>", c.median, c.p90);
      }
      html += fmt::format("<td>{:.0f}%</td></tr>", 100 * seed.detected[i]);
    }
    html += "</table>";
    for (int m : {static_cast<int>(kTokens), static_cast<int>(kDeploys), static_cast<int>(kPrs),
                  static_cast<int>(kNd), static_cast<int>(kNdStar)}) {
      std::vector<std::pair<std::string, double>> rows;
      for (size_t i = 0; i < strategies.size(); ++i) {
        rows.push_back(
            {std::string(strategies[i].name), seed.uplift[i][static_cast<size_t>(m)].median});
      }
      html += fmt::format("<div class='chart'><h3>{}: median uplift</h3>{}</div>", MetricName(m),
                          Bars(rows, -100, 100, ""));
    }
    std::vector<std::pair<std::string, double>> detection;
    for (size_t i = 0; i < strategies.size(); ++i) {
      detection.push_back({std::string(strategies[i].name), 100 * seed.detected[i]});
    }
    html += fmt::format("<div class='chart'><h3>detected (&ge; 2 of 3 periods)</h3>{}</div>",
                        Bars(detection, 0, 100, "%"));
    std::vector<std::pair<std::string, double>> tau;
    for (int m = 0; m < kNdStar; ++m) {
      tau.push_back({std::string(MetricName(m)), 100 * seed.tau[0][static_cast<size_t>(m)][1]});
    }
    html += fmt::format(
        "<div class='chart'><h3>Kendall &tau; &times; 100 vs true value (v1, product)</h3>{}</div>",
        Bars(tau, -100, 100, ""));
  }
  html += "<h2>Full text</h2><pre>" + Escape(FormatTable(s)) + "</pre></body></html>\n";
  return html;
}

}  // namespace goodhart::simulate
