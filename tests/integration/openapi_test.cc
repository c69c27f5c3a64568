// The OpenAPI document (goodhart/api/openapi/openapi.json): served as kept in the repository,
// structurally valid OpenAPI 3.0 (operations, responses, resolvable $refs, unique operation ids),
// and every documented operation called on the real binary with the document's own examples,
// answering one of the status codes documented for it with the documented required fields.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

json RepositoryDocument() {
  std::ifstream in(std::string(GOODHART_SOURCE_DIR) + "/goodhart/api/openapi/openapi.json");
  EXPECT_TRUE(in);
  return json::parse(in);
}

// "#/components/schemas/Flag" -> the object it points to; nullptr when it does not resolve.
const json* Resolve(const json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0)
    return nullptr;
  const json* at = &doc;
  size_t pos = 2;
  while (pos <= ref.size()) {
    size_t slash = ref.find('/', pos);
    std::string key = ref.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (!at->is_object() || !at->contains(key))
      return nullptr;
    at = &(*at)[key];
    if (slash == std::string::npos)
      break;
    pos = slash + 1;
  }
  return at;
}

void CollectRefs(const json& node, std::vector<std::string>& refs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string())
        refs.push_back(value.get<std::string>());
      else
        CollectRefs(value, refs);
    }
  } else if (node.is_array()) {
    for (const json& v : node)
      CollectRefs(v, refs);
  }
}

const json& Deref(const json& doc, const json& node) {
  if (node.is_object() && node.contains("$ref")) {
    const json* target = Resolve(doc, node["$ref"].get<std::string>());
    if (target != nullptr)
      return *target;
  }
  return node;
}

constexpr std::array<const char*, 5> kMethods = {"get", "put", "post", "delete", "patch"};

// An operation's example request body and its content type ("" and JSON when it takes none).
std::pair<std::string, std::string> ExampleBody(const json& op) {
  if (!op.contains("requestBody"))
    return {"", "application/json"};
  const auto& content = op["requestBody"]["content"];
  const json& example = content.begin().value()["example"];
  return {example.is_string() ? example.get<std::string>() : example.dump(), content.begin().key()};
}

TEST(OpenApiTest, DocumentIsStructurallyValid) {
  json doc = RepositoryDocument();
  ASSERT_TRUE(doc["openapi"].is_string());
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.0.", 0), 0u);
  EXPECT_TRUE(doc["info"]["title"].is_string());
  EXPECT_TRUE(doc["info"]["version"].is_string());
  std::vector<std::string> refs;
  CollectRefs(doc, refs);
  EXPECT_FALSE(refs.empty());
  for (const std::string& ref : refs)
    EXPECT_NE(Resolve(doc, ref), nullptr) << ref;
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    EXPECT_EQ(path[0], '/') << path;
    int operations = 0;
    for (const char* method : kMethods) {
      if (!item.contains(method))
        continue;
      ++operations;
      const json& op = item[method];
      ASSERT_TRUE(op.contains("operationId")) << path << " " << method;
      EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second);
      ASSERT_TRUE(op.contains("responses") && !op["responses"].empty()) << path;
      for (const auto& [code, response] : op["responses"].items()) {
        EXPECT_EQ(code.size(), 3u) << path;
        EXPECT_TRUE(Deref(doc, response).contains("description")) << path << " " << code;
      }
      for (const json& p : op.value("parameters", json::array())) {
        const json& param = Deref(doc, p);
        EXPECT_TRUE(param.contains("name") && param.contains("in")) << path;
        if (param["in"] == "path") {
          EXPECT_NE(path.find("{" + param["name"].get<std::string>() + "}"), std::string::npos);
        }
      }
    }
    EXPECT_GT(operations, 0) << path;
  }
}

TEST(OpenApiTest, EveryDocumentedOperationAnswersAsDocumented) {
  json doc = RepositoryDocument();
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  auto client = server.Client();

  auto served = client->Get("/api/v1/openapi.json");
  ASSERT_EQ(served->status, 200);
  EXPECT_EQ(json::parse(served->body), doc);  // the binary serves the repository's document

  int called = 0;
  for (const auto& [path_template, item] : doc["paths"].items()) {
    for (const char* method : kMethods) {
      if (!item.contains(method))
        continue;
      const json& op = item[method];
      std::string path = path_template, query;
      httplib::Headers headers;
      for (const json& p : op.value("parameters", json::array())) {
        const json& param = Deref(doc, p);
        if (!param.contains("example"))
          continue;
        std::string name = param["name"], value = param["example"];
        if (param["in"] == "path")
          path.replace(path.find("{" + name + "}"), name.size() + 2, value);
        else if (param["in"] == "query")
          query += fmt::format("{}{}={}", query.empty() ? "?" : "&", name, value);
        else if (param["in"] == "header")
          headers.emplace(name, value);
      }
      auto [body, content_type] = ExampleBody(op);
      httplib::Result res = std::string(method) == "get" ? client->Get(path + query, headers)
                            : std::string(method) == "put"
                                ? client->Put(path + query, headers, body, content_type)
                                : client->Post(path + query, headers, body, content_type);
      ASSERT_TRUE(res) << method << " " << path;
      std::string code = std::to_string(res->status);
      ASSERT_TRUE(op["responses"].contains(code))
          << method << " " << path << " answered " << code << ": " << res->body;
      const json& response = Deref(doc, op["responses"][code]);
      if (response.contains("content") && response["content"].contains("application/json")) {
        json got = json::parse(res->body);
        const json& schema = Deref(doc, response["content"]["application/json"]["schema"]);
        for (const json& field : schema.value("required", json::array()))
          EXPECT_TRUE(got.contains(field.get<std::string>())) << path << " lacks " << field;
      }
      ++called;
    }
  }
  EXPECT_EQ(called, 26);  // 25 paths, the directory with GET and PUT
}

// Every operation again, with each parameter in turn set to nonsense and, where it takes a body,
// with broken bodies: the server must answer each with a documented status below 500 (an error as
// {"error": {"code", "message"}}), and still be up at the end.
TEST(OpenApiTest, EveryDocumentedOperationAnswersNonsenseWithoutA5xx) {
  json doc = RepositoryDocument();
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  auto client = server.Client();
  // Query values go into the URL as they are: percent-escapes included (%FF is not UTF-8).
  const std::vector<std::string> nonsense = {"",
                                             "x",
                                             "-1",
                                             "9999-99-99",
                                             "2026-13-45T99:99:99Z",
                                             "0000-01-01",
                                             "1e309",
                                             "%00",
                                             "%FF%FE",
                                             "..%2F..%2Fetc%2Fpasswd",
                                             "%7B%22a%22%3A",
                                             std::string(4096, 'a')};
  const std::vector<std::string> bodies = {"",
                                           "{",
                                           "[]",
                                           "null",
                                           "{\"a\":",
                                           std::string("\xff\xfe\x00", 3),
                                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]"};
  int requests = 0;
  auto check = [&](const json& op, const std::string& method, const std::string& target,
                   const httplib::Headers& headers, const std::string& body,
                   const std::string& content_type) {
    httplib::Result res = method == "get"   ? client->Get(target, headers)
                          : method == "put" ? client->Put(target, headers, body, content_type)
                                            : client->Post(target, headers, body, content_type);
    ++requests;
    ASSERT_TRUE(res) << method << " " << target << ": no answer";
    EXPECT_LT(res->status, 500) << method << " " << target << " " << body.substr(0, 40) << ": "
                                << res->status << " " << res->body;
    EXPECT_TRUE(op["responses"].contains(std::to_string(res->status)))
        << method << " " << target << " answered an undocumented " << res->status << ": "
        << res->body;
    if (res->status >= 400) {
      // goodhart's {"error": {"code", "message"}}, or OTLP's google.rpc.Status on its routes.
      json error = json::parse(res->body, nullptr, false);
      const bool otlp = target.starts_with("/v1/");
      const json* fields = !error.is_object()        ? nullptr
                           : otlp                    ? &error
                           : error.contains("error") ? &error["error"]
                                                     : nullptr;
      EXPECT_TRUE(fields != nullptr && fields->is_object() && fields->value("message", "") != "" &&
                  fields->contains("code"))
          << method << " " << target << ": " << res->body;
    }
  };
  for (const auto& entry : doc["paths"].items()) {
    // Named, not a structured binding: the request lambda below captures it (clang 14 cannot).
    const std::string path_template = entry.key();
    const json& item = entry.value();
    for (const char* method : kMethods) {
      if (!item.contains(method))
        continue;
      const json& op = item[method];
      std::vector<json> params;
      for (const json& p : op.value("parameters", json::array()))
        params.push_back(Deref(doc, p));
      auto [body, content_type] = ExampleBody(op);
      // The request with the examples, parameter `bad` (if any) replaced by `value`.
      auto request = [&](size_t bad, const std::string& value) {
        std::string path = path_template, query;
        httplib::Headers headers;
        for (size_t i = 0; i < params.size(); ++i) {
          const json& param = params[i];
          std::string name = param["name"];
          if (i != bad && !param.contains("example"))
            continue;
          std::string v = i == bad ? value : param["example"].get<std::string>();
          if (param["in"] == "path")
            path.replace(path.find("{" + name + "}"), name.size() + 2, v.empty() ? "x" : v);
          else if (param["in"] == "query")
            query += fmt::format("{}{}={}", query.empty() ? "?" : "&", name, v);
          else if (param["in"] == "header" && v.find('%') == std::string::npos)
            headers.emplace(name, v);
        }
        return std::make_pair(path + query, headers);
      };
      for (size_t bad = 0; bad < params.size(); ++bad) {
        for (const std::string& value : nonsense) {
          auto [target, headers] = request(bad, value);
          check(op, method, target, headers, body, content_type);
        }
      }
      if (op.contains("requestBody")) {
        for (const std::string& broken : bodies) {
          auto [target, headers] = request(params.size(), "");
          check(op, method, target, headers, broken, content_type);
        }
      }
    }
  }
  EXPECT_GT(requests, 200);
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace goodhart::testing
