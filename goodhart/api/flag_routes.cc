#include "goodhart/api/flag_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/api/http_status.h"
#include "goodhart/base/json_text.h"
#include "goodhart/review/flag_record_json.h"

namespace goodhart::api {
namespace {

using nlohmann::json;

bool IsAboutPerson(const review::FlagRecord& r) {
  return r.flag.subject.kind == detect::SubjectKind::kPerson;
}

std::vector<std::string> PersonSubjects(const std::vector<const review::FlagRecord*>& records) {
  std::vector<std::string> subjects;
  for (const auto* r : records) {
    if (IsAboutPerson(*r))
      subjects.push_back(r->flag.subject.id);
  }
  return subjects;
}

// The flag `id` if the caller may see it; NotFound otherwise.
Result<review::FlagRecord> Visible(review::FlagStore& flags, const std::string& id,
                                   const access::Principal& who, int64_t now) {
  GOODHART_ASSIGN_OR_RETURN(std::optional<review::FlagRecord> record, flags.Get(id));
  if (!record || !MaySeeFlag(who, *record, now))
    return Status::NotFound(fmt::format("flags: {}: no such flag", id));
  return std::move(*record);
}

Result<json> Body(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return Status::InvalidArgument("flags: body: not a JSON object");
  return body;
}

}  // namespace

bool MaySeeFlag(const access::Principal& who, const review::FlagRecord& r, int64_t now_unix_ms) {
  switch (who.role) {
    case access::Role::kAdmin:
      return !IsAboutPerson(r) || r.ReviewerMaySee(now_unix_ms);
    case access::Role::kAnalyst:
      return !IsAboutPerson(r);
    case access::Role::kMember:
      return IsAboutPerson(r) && r.flag.subject.id == who.person;
  }
  return false;
}

void AddFlagRoutes(HttpServer& server, review::FlagStore& flags, const AccessContext& access) {
  auto now = [&access] { return (access.clock ? *access.clock : SystemClock::Get()).NowMillis(); };

  server.routes().Get(
      "/api/v1/flags", [&flags, &access, now](const httplib::Request& req, httplib::Response& res) {
        auto who = Authenticate(req, access);
        if (!who.ok())
          return ReplyAccessError(res, who.status());
        review::FlagFilter filter;
        if (req.has_param("person"))
          filter.subject_id = req.get_param_value("person");
        if (req.has_param("team"))
          filter.team = req.get_param_value("team");
        if (req.has_param("detector"))
          filter.detector_id = req.get_param_value("detector");
        if (who->role == access::Role::kMember)
          filter.subject_id = who->person;
        auto records = flags.List(filter);
        if (!records.ok())
          return ReplyError(res, records.status());
        int64_t t = now();
        std::vector<const review::FlagRecord*> visible;
        for (const auto& r : *records) {
          if (MaySeeFlag(*who, r, t))
            visible.push_back(&r);
        }
        if (Status s = AuditRead(access, *who, req, PersonSubjects(visible)); !s.ok())
          return ReplyError(res, s.WithPrefix("flags"));
        json out = json::array();
        for (const auto* r : visible)
          out.push_back(review::FlagRecordJson(*r, t));
        res.set_content(JsonText(json{{"flags", out}}), "application/json");
      });

  server.routes().Get(
      R"(/api/v1/flags/([A-Za-z0-9_-]+))",
      [&flags, &access, now](const httplib::Request& req, httplib::Response& res) {
        auto who = Authenticate(req, access);
        if (!who.ok())
          return ReplyAccessError(res, who.status());
        int64_t t = now();
        auto record = Visible(flags, req.matches[1], *who, t);
        if (!record.ok())
          return ReplyError(res, record.status());
        if (Status s = AuditRead(access, *who, req, PersonSubjects({&*record})); !s.ok()) {
          return ReplyError(res, s.WithPrefix("flags"));
        }
        res.set_content(JsonText(review::FlagRecordJson(*record, t)), "application/json");
      });

  server.routes().Post(
      R"(/api/v1/flags/([A-Za-z0-9_-]+)/disposition)",
      [&flags, &access, now](const httplib::Request& req, httplib::Response& res) {
        auto who = Authenticate(req, access);
        if (!who.ok())
          return ReplyAccessError(res, who.status());
        if (Status s = RequireRole(*who, {access::Role::kAdmin}, "flags: disposition"); !s.ok())
          return ReplyAccessError(res, s);
        int64_t t = now();
        std::string id = req.matches[1];
        auto body = Body(req);
        if (!body.ok())
          return ReplyError(res, body.status());
        auto record = Visible(flags, id, *who, t);  // a flag still with its subject is unseen
        if (!record.ok())
          return ReplyError(res, record.status());
        Status s = flags.Dispose(id, body->value("disposition", ""), body->value("note", ""),
                                 who->name, t);
        if (!s.ok())
          return ReplyError(res, s);
        auto updated = flags.Get(id);
        if (!updated.ok() || !updated->has_value())
          return ReplyError(res, Status::Internal("flags: disposition recorded but not read back"));
        if (Status a = AuditRead(access, *who, req, PersonSubjects({&**updated})); !a.ok())
          return ReplyError(res, a.WithPrefix("flags"));
        res.set_content(JsonText(review::FlagRecordJson(**updated, t)), "application/json");
      });

  server.routes().Post(
      R"(/api/v1/flags/([A-Za-z0-9_-]+)/annotation)",
      [&flags, &access, now](const httplib::Request& req, httplib::Response& res) {
        auto who = Authenticate(req, access);
        if (!who.ok())
          return ReplyAccessError(res, who.status());
        int64_t t = now();
        std::string id = req.matches[1];
        auto record = flags.Get(id);
        if (!record.ok())
          return ReplyError(res, record.status());
        bool subject = record->has_value() && IsAboutPerson(**record) &&
                       who->role == access::Role::kMember &&
                       (*record)->flag.subject.id == who->person;
        bool admin = record->has_value() && who->role == access::Role::kAdmin &&
                     MaySeeFlag(*who, **record, t);
        if (!subject && !admin)
          return ReplyError(res, Status::NotFound(fmt::format("flags: {}: no such flag", id)));
        auto body = Body(req);
        if (!body.ok())
          return ReplyError(res, body.status());
        if (Status s = flags.Annotate(id, who->name, body->value("note", ""), t); !s.ok())
          return ReplyError(res, s);
        auto updated = flags.Get(id);
        if (!updated.ok() || !updated->has_value())
          return ReplyError(res, Status::Internal("flags: annotation recorded but not read back"));
        if (Status a = AuditRead(access, *who, req, PersonSubjects({&**updated})); !a.ok())
          return ReplyError(res, a.WithPrefix("flags"));
        res.status = 201;
        res.set_content(JsonText(review::FlagRecordJson(**updated, t)), "application/json");
      });
}

}  // namespace goodhart::api
