// OTLP/HTTP protobuf: bodies encoded by libprotobuf (an independent encoder, from the OTLP JSON
// of the corpora and testdata) must decode to the same events as the JSON they came from; the
// wire-format edge cases; the protobuf answers read back by libprotobuf.
#include "goodhart/receivers/otlp_http/protobuf.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/file/canonical_jsonl.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/wire.h"
#include "goodhart/receivers/otlp_http/test_util.h"
#include "testdata/otlp_test.pb.h"  // protoc writes it into the build tree

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadCorpus;
using goodhart::testing::ReadTestdata;
using internal::WireWriter;
using testing::Decoded;
using testing::Replace;

// OTLP JSON spells trace and span ids in hex; protobuf's JSON mapping reads bytes as base64.
void HexIdsToBase64(nlohmann::json& node) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (node.is_array()) {
    for (auto& child : node)
      HexIdsToBase64(child);
    return;
  }
  if (!node.is_object())
    return;
  for (auto& [key, value] : node.items()) {
    if ((key == "traceId" || key == "spanId" || key == "parentSpanId") && value.is_string()) {
      std::string hex = value.get<std::string>(), bytes;
      for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      std::string b64;
      for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
          n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size())
          n |= static_cast<uint8_t>(bytes[i + 2]);
        b64 += kAlphabet[(n >> 18) & 63];
        b64 += kAlphabet[(n >> 12) & 63];
        b64 += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        b64 += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
      }
      value = b64;
    } else {
      HexIdsToBase64(value);
    }
  }
}

// The protobuf encoding, by libprotobuf, of an OTLP JSON body.
template <typename Message>
std::string EncodeWithLibprotobuf(const std::string& otlp_json) {
  nlohmann::json doc = nlohmann::json::parse(otlp_json);
  HexIdsToBase64(doc);
  Message message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(doc.dump(), &message, options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return message.SerializeAsString();
}

using DecodeFn = Result<DecodeResult> (*)(std::string_view, const DecodeOptions&);

// Decodes `json` directly and through libprotobuf's encoding plus ProtobufToJson; the events must
// be equal, except keys that hash the record's text (its JSON differs between the two).
template <typename Message>
void ExpectSameEvents(const std::string& json, OtlpSignal signal, DecodeFn decode,
                      size_t expected_events) {
  SCOPED_TRACE(json.substr(0, 300));
  DecodeResult direct = Decoded(decode(json, {}));
  const std::string wire = EncodeWithLibprotobuf<Message>(json);
  auto transcoded = ProtobufToJson(wire, signal);
  ASSERT_TRUE(transcoded.ok()) << transcoded.status().ToString();
  DecodeResult via_protobuf = Decoded(decode(*transcoded, {}));
  EXPECT_EQ(via_protobuf.rejected, direct.rejected);
  EXPECT_EQ(via_protobuf.error_message, direct.error_message);
  EXPECT_EQ(via_protobuf.ignored, direct.ignored);
  ASSERT_EQ(direct.batch.usage.size(), expected_events);
  ASSERT_EQ(via_protobuf.batch.usage.size(), direct.batch.usage.size());
  for (size_t i = 0; i < direct.batch.usage.size(); ++i) {
    model::UsageEvent a = direct.batch.usage[i], b = via_protobuf.batch.usage[i];
    if (a.event_key.starts_with("hash:")) {
      EXPECT_TRUE(b.event_key.starts_with("hash:")) << b.event_key;
      if (a.raw_id == a.event_key.substr(5))
        a.raw_id = b.raw_id = "";
      a.event_key = b.event_key = "";
    }
    EXPECT_EQ(a, b) << "event " << i << ":\n  " << file::EncodeCanonicalJsonLine(a) << "\n  "
                    << file::EncodeCanonicalJsonLine(b);
  }
}

TEST(OtlpProtobufTest, ClaudeCodeCaptureDecodesAsItsJsonDoes) {
  ExpectSameEvents<goodhart_test::otlp::ExportLogsServiceRequest>(
      ReadCorpus("claude-code-otlp-capture/logs-request.api_request.json"), OtlpSignal::kLogs,
      &DecodeLogs, 4);
  ExpectSameEvents<goodhart_test::otlp::ExportLogsServiceRequest>(
      ReadCorpus("claude-code-otlp-capture/logs-request.user_prompt.json"), OtlpSignal::kLogs,
      &DecodeLogs, 2);
}

TEST(OtlpProtobufTest, OtlpExamplesDecodeAsTheirJsonDoes) {
  // The canonical examples, renamed into AI usage as decode_test.cc does.
  ExpectSameEvents<goodhart_test::otlp::ExportLogsServiceRequest>(
      Replace(ReadCorpus("opentelemetry-proto/examples/logs.json"), "\"Example log record\"",
              "\"claude_code.tool_result\""),
      OtlpSignal::kLogs, &DecodeLogs, 1);
  ExpectSameEvents<goodhart_test::otlp::ExportLogsServiceRequest>(
      ReadCorpus("opentelemetry-proto/examples/events.json"), OtlpSignal::kLogs, &DecodeLogs, 0);
  ExpectSameEvents<goodhart_test::otlp::ExportMetricsServiceRequest>(
      ReadCorpus("opentelemetry-proto/examples/metrics.json"), OtlpSignal::kMetrics, &DecodeMetrics,
      0);
  ExpectSameEvents<goodhart_test::otlp::ExportTraceServiceRequest>(
      ReadCorpus("opentelemetry-proto/examples/trace.json"), OtlpSignal::kTraces, &DecodeTraces, 0);
}

TEST(OtlpProtobufTest, TestdataBodiesDecodeAsTheirJsonDoes) {
  using goodhart_test::otlp::ExportLogsServiceRequest;
  using goodhart_test::otlp::ExportMetricsServiceRequest;
  using goodhart_test::otlp::ExportTraceServiceRequest;
  ExpectSameEvents<ExportLogsServiceRequest>(ReadTestdata("logs_genai_events.json"),
                                             OtlpSignal::kLogs, &DecodeLogs, 3);
  ExpectSameEvents<ExportLogsServiceRequest>(ReadTestdata("logs_codex.json"), OtlpSignal::kLogs,
                                             &DecodeLogs, 5);
  ExpectSameEvents<ExportLogsServiceRequest>(ReadTestdata("logs_two_resources.json"),
                                             OtlpSignal::kLogs, &DecodeLogs, 3);
  ExpectSameEvents<ExportLogsServiceRequest>(ReadTestdata("logs_missing_time.json"),
                                             OtlpSignal::kLogs, &DecodeLogs, 2);
  ExpectSameEvents<ExportLogsServiceRequest>(
      ReadTestdata("logs_claude_code_tool_result_commit.json"), OtlpSignal::kLogs, &DecodeLogs, 3);
  ExpectSameEvents<ExportMetricsServiceRequest>(
      ReadTestdata("metrics_claude_code_delta_asint.json"), OtlpSignal::kMetrics, &DecodeMetrics,
      5);
  ExpectSameEvents<ExportMetricsServiceRequest>(ReadTestdata("metrics_genai_histogram.json"),
                                                OtlpSignal::kMetrics, &DecodeMetrics, 2);
  ExpectSameEvents<ExportTraceServiceRequest>(ReadTestdata("traces_genai_new_names.json"),
                                              OtlpSignal::kTraces, &DecodeTraces, 3);
  ExpectSameEvents<ExportTraceServiceRequest>(ReadTestdata("traces_genai_old_names.json"),
                                              OtlpSignal::kTraces, &DecodeTraces, 4);
  ExpectSameEvents<ExportTraceServiceRequest>(ReadTestdata("traces_claude_code.json"),
                                              OtlpSignal::kTraces, &DecodeTraces, 3);
}

TEST(OtlpProtobufTest, ARetriedExportGetsTheSameKeys) {
  const std::string wire = EncodeWithLibprotobuf<goodhart_test::otlp::ExportLogsServiceRequest>(
      Replace(ReadCorpus("opentelemetry-proto/examples/logs.json"), "\"Example log record\"",
              "\"claude_code.tool_result\""));
  auto first = ProtobufToJson(wire, OtlpSignal::kLogs);
  auto again = ProtobufToJson(wire, OtlpSignal::kLogs);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, *again);
  DecodeResult a = Decoded(DecodeLogs(*first, {})), b = Decoded(DecodeLogs(*again, {}));
  ASSERT_EQ(a.batch.usage.size(), 1u);
  ASSERT_EQ(b.batch.usage.size(), 1u);
  EXPECT_TRUE(a.batch.usage[0].event_key.starts_with("hash:"));
  EXPECT_EQ(a.batch.usage[0].event_key, b.batch.usage[0].event_key);
}

// --- the wire format, built by hand ---

std::string Message(const std::function<void(WireWriter&)>& fill) {
  WireWriter w;
  fill(w);
  return w.Take();
}

std::string StringValue(std::string_view text) {
  return Message([&](WireWriter& w) { w.Bytes(1, text); });
}

// ExportLogsServiceRequest{resourceLogs: [{scopeLogs: [{logRecords: [record]}]}]}.
std::string LogsRequestWith(const std::string& record) {
  std::string scope_logs = Message([&](WireWriter& w) { w.Bytes(2, record); });
  std::string resource_logs = Message([&](WireWriter& w) { w.Bytes(2, scope_logs); });
  return Message([&](WireWriter& w) { w.Bytes(1, resource_logs); });
}

nlohmann::json Transcoded(const std::string& wire, OtlpSignal signal = OtlpSignal::kLogs) {
  auto json = ProtobufToJson(wire, signal);
  EXPECT_TRUE(json.ok()) << json.status().ToString();
  return json.ok() ? nlohmann::json::parse(*json) : nlohmann::json();
}

TEST(OtlpProtobufTest, ScalarsTakeOtlpJsonForms) {
  std::string record = Message([](WireWriter& w) {
    w.Fixed64(1, 1'700'000'000'123'456'789ULL);      // timeUnixNano
    w.Varint(2, 9);                                  // severityNumber
    w.Bytes(9, std::string("\x01\xAB\xff\x00", 4));  // traceId
    w.Bytes(12, "claude_code.api_request");          // eventName
    w.Fixed32(8, 1);                                 // flags
  });
  nlohmann::json r =
      Transcoded(LogsRequestWith(record))["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(r["timeUnixNano"], "1700000000123456789");
  EXPECT_EQ(r["severityNumber"], 9);
  EXPECT_EQ(r["traceId"], "01abff00");
  EXPECT_EQ(r["eventName"], "claude_code.api_request");
  EXPECT_EQ(r["flags"], 1);
}

TEST(OtlpProtobufTest, AnyValueKinds) {
  auto attribute = [](std::string_view key, const std::string& value) {
    return Message([&](WireWriter& w) {
      w.Bytes(1, key);
      w.Bytes(2, value);
    });
  };
  std::string record = Message([&](WireWriter& w) {
    w.Bytes(6, attribute("s", StringValue("a \"quoted\"\n\x01 text")));
    w.Bytes(6, attribute("i", Message([](WireWriter& v) { v.Varint(3, uint64_t(-5)); })));
    w.Bytes(6, attribute("d", Message([](WireWriter& v) { v.Double(4, 0.25); })));
    w.Bytes(6, attribute("nan", Message([](WireWriter& v) { v.Double(4, std::nan("")); })));
    w.Bytes(6, attribute("b", Message([](WireWriter& v) { v.Varint(2, 1); })));
    w.Bytes(6, attribute("bytes", Message([](WireWriter& v) { v.Bytes(7, "hi!?"); })));
    w.Bytes(6, attribute("list", Message([](WireWriter& v) {
                           v.Bytes(5, Message([](WireWriter& a) {
                                     a.Bytes(1, StringValue("x"));
                                     a.Bytes(1, StringValue("y"));
                                   }));
                         })));
  });
  nlohmann::json attrs = Transcoded(
      LogsRequestWith(record))["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["attributes"];
  ASSERT_EQ(attrs.size(), 7u);
  EXPECT_EQ(attrs[0]["value"]["stringValue"], "a \"quoted\"\n\x01 text");
  EXPECT_EQ(attrs[1]["value"]["intValue"], "-5");
  EXPECT_EQ(attrs[2]["value"]["doubleValue"], 0.25);
  EXPECT_EQ(attrs[3]["value"]["doubleValue"], "NaN");
  EXPECT_EQ(attrs[4]["value"]["boolValue"], true);
  EXPECT_EQ(attrs[5]["value"]["bytesValue"], "aGkhPw==");
  EXPECT_EQ(attrs[6]["value"]["arrayValue"]["values"][1]["stringValue"], "y");
}

TEST(OtlpProtobufTest, StringsOfEveryLengthAreEscaped) {
  // Escapes at every offset of an eight-byte word, and every byte that needs one.
  for (char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (size_t at = 0; at < 20; ++at) {
      std::string text = std::string(at, 'a') + special + std::string(19 - at, 'b') + "\xc3\xa9";
      std::string record = Message([&](WireWriter& w) { w.Bytes(12, text); });
      nlohmann::json r =
          Transcoded(LogsRequestWith(record))["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
      EXPECT_EQ(r["eventName"], text) << at;
    }
  }
}

TEST(OtlpProtobufTest, UnknownFieldsAreSkippedAndTheLastSingularValueWins) {
  std::string record = Message([](WireWriter& w) {
    w.Varint(99, 7);  // unknown, every wire type
    w.Fixed64(98, 1);
    w.Fixed32(97, 1);
    w.Bytes(96, "\xff\xfe");  // not UTF-8, but unknown: never read
    w.Bytes(12, "first");     // eventName twice: the last wins
    w.Bytes(12, "second");
    w.Bytes(6, Message([](WireWriter& kv) {
              kv.Bytes(1, "k");
              kv.Bytes(2, Message([](WireWriter& v) {  // a oneof set twice: the last wins
                         v.Bytes(1, "text");
                         v.Varint(3, 4);
                       }));
            }));
  });
  nlohmann::json r =
      Transcoded(LogsRequestWith(record))["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(r.size(), 2u) << r.dump();
  EXPECT_EQ(r["eventName"], "second");
  EXPECT_EQ(r["attributes"][0]["value"], nlohmann::json({{"intValue", "4"}}));
}

std::string ErrorOf(const std::string& wire) {
  auto result = ProtobufToJson(wire, OtlpSignal::kLogs);
  EXPECT_FALSE(result.ok()) << *result;
  if (result.ok())
    return "";
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

TEST(OtlpProtobufTest, MalformedBodiesAreClearErrors) {
  EXPECT_EQ(ProtobufToJson("", OtlpSignal::kLogs).value(), "{}");  // an empty request
  EXPECT_EQ(ErrorOf(std::string("\x0a\x05\x01", 3)),
            "otlp_http: protobuf: body: a length-delimited value runs past the end of its "
            "message (in ExportLogsServiceRequest)");
  EXPECT_EQ(ErrorOf("\x80"),
            "otlp_http: protobuf: body: a field tag is truncated (in ExportLogsServiceRequest)");
  EXPECT_EQ(ErrorOf(std::string("\x08") + std::string(10, '\xff') + "\x01"),
            "otlp_http: protobuf: body: a varint is longer than 10 bytes (in "
            "ExportLogsServiceRequest)");
  EXPECT_NE(ErrorOf(std::string("\x00\x01", 2)).find("a field number is out of range"),
            std::string::npos);
  EXPECT_NE(ErrorOf("\x09\x01\x02").find("a 64-bit value is truncated"), std::string::npos);
  EXPECT_NE(ErrorOf("\x0d\x01").find("a 32-bit value is truncated"), std::string::npos);
  EXPECT_NE(ErrorOf("\x0e").find("wire type 6 or 7"), std::string::npos);
  EXPECT_NE(ErrorOf("\x0b").find("a group does not end"), std::string::npos);
  EXPECT_NE(ErrorOf("\x0c").find("a group ends that did not start"), std::string::npos);
  EXPECT_NE(ErrorOf("\x0b\x14").find("a group ends with another group's number"),
            std::string::npos);
  // Deep inside: the path names where.
  std::string record = Message([](WireWriter& w) { w.Bytes(6, std::string("\x0a\x09", 2)); });
  EXPECT_EQ(ErrorOf(LogsRequestWith(record)),
            "otlp_http: protobuf: resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0]: a "
            "length-delimited value runs past the end of its message (in KeyValue)");
}

// An AnyValue nested in `levels` arrays, as a log record's body.
std::string RecordWithNestedBody(int levels) {
  std::string value = StringValue("deep");
  for (int i = 0; i < levels; ++i) {
    std::string array = Message([&](WireWriter& a) { a.Bytes(1, value); });
    value = Message([&](WireWriter& v) { v.Bytes(5, array); });
  }
  return LogsRequestWith(Message([&](WireWriter& w) { w.Bytes(5, value); }));
}

TEST(OtlpProtobufTest, NestingIsLimitedTo100Messages) {
  // The record is message 3 (request 0, resourceLogs 1, scopeLogs 2), its body 4; each array
  // level adds an ArrayValue and an AnyValue.
  EXPECT_TRUE(ProtobufToJson(RecordWithNestedBody(48), OtlpSignal::kLogs).ok());  // depth 100
  EXPECT_NE(ErrorOf(RecordWithNestedBody(49)).find("messages are nested more than 100 deep"),
            std::string::npos);
}

TEST(OtlpProtobufTest, WhatProtobufReadersSkipIsSkipped) {
  // A known field with another wire type, and groups (closed, nested): skipped like unknown
  // fields, as libprotobuf does.
  std::string wire = std::string("\x08\x01", 2) + "\x1b\x08\x01\x23\x24\x1c";
  EXPECT_EQ(ProtobufToJson(wire, OtlpSignal::kLogs).value(), "{}");
  // A string that is not UTF-8 keeps its record, its bad bytes replaced by U+FFFD.
  std::string record = Message([](WireWriter& w) { w.Bytes(12, "\xc3(ok"); });
  nlohmann::json r =
      Transcoded(LogsRequestWith(record))["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(r["eventName"], "\xef\xbf\xbd(ok");
}

TEST(OtlpProtobufTest, NumbersAtTheirEdges) {
  std::string point = Message([](WireWriter& w) {
    w.Fixed64(3, uint64_t{1} << 63);      // timeUnixNano above int64: written as sent
    w.Fixed64(6, uint64_t(int64_t{-3}));  // asInt, negative
  });
  std::string inf_point = Message([](WireWriter& w) { w.Double(4, -INFINITY); });
  std::string sum = Message([&](WireWriter& w) {
    w.Bytes(1, point);
    w.Bytes(1, inf_point);
    w.Varint(2, uint64_t(int64_t{-1}));  // aggregationTemporality, a negative enum
  });
  std::string metric = Message([&](WireWriter& w) { w.Bytes(7, sum); });
  std::string wire = Message([&](WireWriter& w) {
    w.Bytes(1, Message([&](WireWriter& r) {
              r.Bytes(2, Message([&](WireWriter& s) { s.Bytes(2, metric); }));
            }));
  });
  nlohmann::json m =
      Transcoded(wire, OtlpSignal::kMetrics)["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0];
  EXPECT_EQ(m["sum"]["aggregationTemporality"], -1);
  EXPECT_EQ(m["sum"]["dataPoints"][0]["timeUnixNano"], "9223372036854775808");
  EXPECT_EQ(m["sum"]["dataPoints"][0]["asInt"], "-3");
  EXPECT_EQ(m["sum"]["dataPoints"][1]["asDouble"], "-Infinity");
}

TEST(OtlpProtobufTest, FieldsOutOfNumberOrderKeepTheirWireOrder) {
  // logRecords, then the scope, then more logRecords: one list in wire order, the scope kept.
  std::string scope_logs = Message([](WireWriter& w) {
    w.Bytes(2, Message([](WireWriter& r) { r.Bytes(12, "first"); }));
    w.Bytes(1, Message([](WireWriter& s) { s.Bytes(1, "my.scope"); }));
    w.Bytes(2, Message([](WireWriter& r) { r.Bytes(12, "second"); }));
  });
  std::string wire = Message(
      [&](WireWriter& w) { w.Bytes(1, Message([&](WireWriter& r) { r.Bytes(2, scope_logs); })); });
  auto json = ProtobufToJson(wire, OtlpSignal::kLogs);
  ASSERT_TRUE(json.ok());
  nlohmann::json s = nlohmann::json::parse(*json)["resourceLogs"][0]["scopeLogs"][0];
  EXPECT_EQ(s["scope"]["name"], "my.scope");
  ASSERT_EQ(s["logRecords"].size(), 2u);
  EXPECT_EQ(s["logRecords"][0]["eventName"], "first");
  EXPECT_EQ(s["logRecords"][1]["eventName"], "second");
  // Singular fields are written before lists (the decoder then reads a list in one pass).
  EXPECT_LT(json->find("\"scope\""), json->find("\"logRecords\""));
}

TEST(OtlpProtobufTest, TheLastOneofMemberOnTheWireWins) {
  // A data point with asInt then asDouble; a metric with a gauge then a sum.
  std::string point = Message([](WireWriter& w) {
    w.Fixed64(6, 7);
    w.Double(4, 2.5);
  });
  std::string metric = Message([&](WireWriter& w) {
    w.Bytes(1, "m");
    w.Bytes(5, Message([&](WireWriter& g) { g.Bytes(1, point); }));
    w.Bytes(7, Message([&](WireWriter& s) { s.Bytes(1, point); }));
  });
  std::string wire = Message([&](WireWriter& w) {
    w.Bytes(1, Message([&](WireWriter& r) {
              r.Bytes(2, Message([&](WireWriter& s) { s.Bytes(2, metric); }));
            }));
  });
  nlohmann::json m =
      Transcoded(wire, OtlpSignal::kMetrics)["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0];
  EXPECT_FALSE(m.contains("gauge")) << m.dump();
  EXPECT_EQ(m["sum"]["dataPoints"][0], nlohmann::json({{"asDouble", 2.5}}));
}

TEST(OtlpProtobufTest, AJsonFormOverItsLimitIsResourceExhausted) {
  // 1,000 empty log records: 2 bytes each as protobuf, 3 as JSON ("{}," ).
  std::string scope_logs;
  for (int i = 0; i < 1000; ++i)
    scope_logs += std::string("\x12\x00", 2);
  std::string wire = Message(
      [&](WireWriter& w) { w.Bytes(1, Message([&](WireWriter& r) { r.Bytes(2, scope_logs); })); });
  EXPECT_TRUE(ProtobufToJson(wire, OtlpSignal::kLogs, 4 * wire.size()).ok());
  auto refused = ProtobufToJson(wire, OtlpSignal::kLogs, wire.size());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("its JSON form is larger than"), std::string::npos);
}

TEST(OtlpProtobufTest, AnswersReadBackWithLibprotobuf) {
  EXPECT_EQ(EncodeExportResponse(0, ""), "");
  goodhart_test::otlp::ExportLogsServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(EncodeExportResponse(3, "otlp_http: bad record")));
  EXPECT_EQ(response.partial_success().rejected_log_records(), 3);
  EXPECT_EQ(response.partial_success().error_message(), "otlp_http: bad record");
  goodhart_test::otlp::RpcStatus status;
  ASSERT_TRUE(status.ParseFromString(EncodeRpcStatus(3, "otlp_http: body: bad")));
  EXPECT_EQ(status.code(), 3);
  EXPECT_EQ(status.message(), "otlp_http: body: bad");
}

}  // namespace
}  // namespace goodhart::receivers::otlp
