using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ovo.Tests
{
    internal static class BasicsTests
    {
        [Test]
        public static void VersionMatchesHeader()
        {
            string version = OvoLibrary.Version;
            Assert.True(Regex.IsMatch(version, @"^\d+\.\d+\.\d+"), "version looks like x.y.z: " + version);
            string header = Environment.GetEnvironmentVariable("OVO_HEADER");
            if (!string.IsNullOrEmpty(header))
            {
                Match m = Regex.Match(File.ReadAllText(header), "#define OVO_VERSION_STRING \"([^\"]+)\"");
                Assert.True(m.Success, "OVO_VERSION_STRING found in " + header);
                Assert.Equal(m.Groups[1].Value, version, "ovo_version() vs the header");
            }
        }

        [Test]
        public static void DescribeKnownCodes()
        {
            OvoCodeInfo paid = OvoCodes.Describe("00");
            Assert.True(paid.Known, "00 is known");
            Assert.Equal("00", paid.Code, "code");
            Assert.Equal("Success / Approved", paid.Name, "name of 00");

            OvoCodeInfo declined = OvoCodes.Describe("17");
            Assert.Equal("Transaction Decline", declined.Name, "name of 17");
            Assert.Equal("OVO User canceled payment using OVO Apps", declined.Description, "description of 17");

            foreach (string code in new[] { "14", "25", "26", "40", "54", "56", "58", "61", "63", "64", "65", "67", "68", "73", "96", "ER", "EB" })
            {
                OvoCodeInfo info = OvoCodes.Describe(code);
                Assert.True(info.Known, code + " is in the spec's table");
                Assert.Equal(code, info.Code, "code echoed");
                Assert.True(!string.IsNullOrEmpty(info.Name) && !string.IsNullOrEmpty(info.Description), code + " has a name and description");
            }
        }

        [Test]
        public static void DescribeUnknownCodes()
        {
            foreach (string code in new[] { "XX", "", "999", null, "1\u00007", "\uD800" })
            {
                OvoCodeInfo info = OvoCodes.Describe(code);
                Assert.True(!info.Known, "unknown: " + (code ?? "null"));
                Assert.Equal("??", info.Code, "code of an unknown entry");
                Assert.True(!string.IsNullOrEmpty(info.Description), "generic text");
            }
        }

        private static string Sha256Hex(string text)
        {
            using (var sha = SHA256.Create())
            {
                var s = new StringBuilder();
                foreach (byte b in sha.ComputeHash(Encoding.UTF8.GetBytes(text)))
                {
                    s.Append(b.ToString("x2"));
                }
                return s.ToString();
            }
        }

        [Test]
        public static void ChecksumKnownAnswers()
        {
            // Known answer computed independently (Python hashlib) from the spec's formula.
            Assert.Equal(
                "5f1f8428d5bb8c624b4893d0d16064d9a7a80de9ab1fa93c6a716d7bb775de78",
                Checksum.Compute(10000, Sandbox.ClientId, "INV-20210115-0001", "081211111111", Sandbox.SecretKey),
                "checksum of the spec's sample body");
            // And against .NET's own SHA-256 (a test oracle only; the binding never hashes).
            foreach (long amount in new[] { 1L, 999L, 123456789012L, 999999999999L })
            {
                string invoice = Sandbox.Invoice();
                Assert.Equal(
                    Sha256Hex(amount + Sandbox.ClientId + invoice + "081522222222" + Sandbox.SecretKey),
                    Checksum.Compute(amount, Sandbox.ClientId, invoice, "081522222222", Sandbox.SecretKey),
                    "checksum for amount " + amount);
            }
        }

        [Test]
        public static void ChecksumBadInputsNameTheField()
        {
            Check(() => Checksum.Compute(0, Sandbox.ClientId, "INV-1", "081211111111", Sandbox.SecretKey), "order.amount");
            Check(() => Checksum.Compute(-5, Sandbox.ClientId, "INV-1", "081211111111", Sandbox.SecretKey), "order.amount");
            Check(() => Checksum.Compute(1000000000000L, Sandbox.ClientId, "INV-1", "081211111111", Sandbox.SecretKey), "order.amount");
            Check(() => Checksum.Compute(1, null, "INV-1", "081211111111", Sandbox.SecretKey), "client.id");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, null, "081211111111", Sandbox.SecretKey), "order.invoice_number");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "", "081211111111", Sandbox.SecretKey), "order.invoice_number");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, new string('A', 65), "081211111111", Sandbox.SecretKey), "order.invoice_number");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "INV-1", "08121111111x", Sandbox.SecretKey), "ovo_info.ovo_id");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "INV-1", null, Sandbox.SecretKey), "ovo_info.ovo_id");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "INV-1", "081211111111", null), "secret_key");
            // Strings C cannot carry as they are reach libovo as invalid UTF-8, never truncated.
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "INV\u0000-1", "081211111111", Sandbox.SecretKey), "order.invoice_number");
            Check(() => Checksum.Compute(1, Sandbox.ClientId, "INV\uDC00-1", "081211111111", Sandbox.SecretKey), "order.invoice_number");
        }

        private static void Check(Action action, string field)
        {
            var e = Assert.Throws<OvoInvalidArgumentException>(action, field);
            Assert.Equal(field, e.Field, "Field");
            Assert.Equal(OvoResult.InvalidArgument, e.Result, "Result");
            Assert.Contains(field, e.Message, "message names the field");
            Assert.DoesNotContain(Sandbox.SecretKey, e.Message, "message");
        }

        [Test]
        public static void Utf8RoundTripsNonAscii()
        {
            // A valid non-ASCII string must reach libovo intact: the invoice rule decides, not C#.
            string invoice = "INV-\u00e9\u4e2d\U0001F600";
            byte[] bytes = Utf8.ToNative(invoice);
            byte[] expected = Encoding.UTF8.GetBytes(invoice + "\0");
            Assert.Equal(Convert.ToBase64String(expected), Convert.ToBase64String(bytes), "UTF-8 bytes");
            Assert.Null(Utf8.ToNative(null), "null stays NULL");
        }

        [Test]
        public static void EveryResultMapsToItsException()
        {
            Assert.True(OvoException.Create(OvoResult.InvalidArgument, "m", "f", null) is OvoInvalidArgumentException, "InvalidArgument");
            Assert.True(OvoException.Create(OvoResult.BufferTooSmall, "m", null, null) is OvoBufferTooSmallException, "BufferTooSmall");
            Assert.True(OvoException.Create(OvoResult.NotSent, "m", null, null) is OvoNotSentException, "NotSent");
            Assert.True(OvoException.Create(OvoResult.OutcomeUnknown, "m", null, null) is OvoOutcomeUnknownException, "OutcomeUnknown");
            Assert.True(OvoException.Create(OvoResult.Rejected, "m", null, null) is OvoRejectedException, "Rejected");
            Assert.True(OvoException.Create(OvoResult.Internal, "m", null, null) is OvoInternalException, "Internal");
            Assert.True(OvoException.Create(OvoResult.InFlight, "m", null, null) is OvoInFlightException, "InFlight");
            Assert.True(OvoException.Create(OvoResult.AlreadyPaid, "m", null, null) is OvoAlreadyPaidException, "AlreadyPaid");
            Assert.True(OvoException.Create(OvoResult.Unsettled, "m", null, null) is OvoUnsettledException, "Unsettled");
            Assert.True(OvoException.Create(OvoResult.InvoiceUsed, "m", null, null) is OvoInvoiceUsedException, "InvoiceUsed");
            foreach (OvoResult r in Enum.GetValues(typeof(OvoResult)))
            {
                if (r != OvoResult.Ok)
                {
                    OvoException e = OvoException.Create(r, "m", null, null);
                    Assert.Equal(r, e.Result, r + " keeps its code");
                    Assert.True(e.GetType() != typeof(OvoException), r + " has its own class");
                }
            }
            OvoException future = OvoException.Create((OvoResult)99, "m", null, null);
            Assert.Equal(typeof(OvoException), future.GetType(), "an unknown code gives the base class");
            Assert.Equal((OvoResult)99, future.Result, "and keeps the code");
            Assert.Equal("f", OvoException.Create(OvoResult.InvalidArgument, "m", "f", null).Field, "field kept");
        }

        [Test]
        public static void EnumValuesMatchTheHeader()
        {
            // The C ABI's explicit values (include/ovo.h).
            Assert.Equal(0u, (uint)OvoResult.Ok, "OK");
            Assert.Equal(4u, (uint)OvoResult.OutcomeUnknown, "OUTCOME_UNKNOWN");
            Assert.Equal(10u, (uint)OvoResult.InvoiceUsed, "INVOICE_USED");
            Assert.Equal(0u, (uint)PaymentOutcome.Unknown, "OVO_OUTCOME_UNKNOWN");
            Assert.Equal(3u, (uint)PaymentOutcome.Refunded, "OVO_OUTCOME_REFUNDED");
            Assert.Equal(default(PaymentOutcome), PaymentOutcome.Unknown, "a zeroed outcome is unknown");
            Assert.Equal(1u, (uint)OvoEnvironment.Production, "PRODUCTION");
            Assert.Equal(2u, (uint)OvoProxyMode.Url, "PROXY_MODE_URL");

            string header = File.ReadAllText(HeaderPath());
            Mirror<OvoResult>(header, "OVO_RESULT_");
            Mirror<PaymentOutcome>(header, "OVO_OUTCOME_");
            Mirror<PaymentKind>(header, "OVO_KIND_");
            Mirror<OvoLogLevel>(header, "OVO_LOG_LEVEL_");
            Mirror<OvoEnvironment>(header, "OVO_ENVIRONMENT_");
            Mirror<OvoProxyMode>(header, "OVO_PROXY_MODE_");
            Mirror<NativeField>(header, "OVO_FIELD_");
        }

        private static string HeaderPath()
        {
            string header = Environment.GetEnvironmentVariable("OVO_HEADER");
            Assert.True(!string.IsNullOrEmpty(header), "OVO_HEADER is set (run tests/csharp.sh)");
            return header;
        }

        /// <summary>Every PREFIX_NAME = N of the header is the enum member Name = N, and back.</summary>
        private static void Mirror<T>(string header, string prefix)
        {
            var native = Regex.Matches(header, "\\b" + prefix + "([A-Z0-9_]+) = (\\d+),")
                .Cast<Match>()
                .ToDictionary(m => m.Groups[1].Value, m => uint.Parse(m.Groups[2].Value));
            Assert.True(native.Count > 0, prefix + " values in the header");
            var managed = Enum.GetValues(typeof(T)).Cast<object>()
                .ToDictionary(v => UpperSnake(v.ToString()), v => Convert.ToUInt32(v));
            foreach (var pair in native)
            {
                uint value;
                Assert.True(managed.TryGetValue(pair.Key, out value), typeof(T).Name + " lacks " + prefix + pair.Key);
                Assert.Equal(pair.Value, value, prefix + pair.Key);
            }
            Assert.Equal(native.Count, managed.Count, typeof(T).Name + " has no member the header lacks");
        }

        /// <summary>"OutcomeUnknown" -> "OUTCOME_UNKNOWN", "Mid" -> "MID".</summary>
        private static string UpperSnake(string name)
        {
            return Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();
        }

        [Test]
        public static void EveryHeaderFunctionIsImportedOnce()
        {
            var declared = new HashSet<string>(
                Regex.Matches(File.ReadAllText(HeaderPath()), "^[a-z_][a-z0-9_ \\*]*\\b(ovo_[a-z0-9_]+)\\(", RegexOptions.Multiline)
                    .Cast<Match>().Select(m => m.Groups[1].Value));
            Assert.True(declared.Count > 30, "functions in the header: " + declared.Count);
            var imported = typeof(NativeMethods).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
                .Where(m => m.IsDefined(typeof(DllImportAttribute), false))
                .Select(m => m.Name).ToList();
            Assert.Equal(imported.Count, imported.Distinct().Count(), "no function imported twice");
            foreach (string f in declared)
            {
                Assert.True(imported.Contains(f), "not imported: " + f);
            }
            foreach (string f in imported)
            {
                Assert.True(declared.Contains(f), "imported but not in the header: " + f);
            }
        }

        [Test]
        public static void NamesComeFromLibovo()
        {
            foreach (OvoResult r in Enum.GetValues(typeof(OvoResult)))
            {
                Assert.Equal(UpperSnake(r.ToString()), OvoLibrary.ResultName(r), "name of " + r);
            }
            foreach (PaymentOutcome o in Enum.GetValues(typeof(PaymentOutcome)))
            {
                Assert.Equal(UpperSnake(o.ToString()), OvoLibrary.OutcomeName(o), "name of " + o);
            }
            Assert.Equal("UNKNOWN_RESULT", OvoLibrary.ResultName((OvoResult)99), "a result libovo does not know");
            Assert.Equal("UNKNOWN", OvoLibrary.OutcomeName((PaymentOutcome)99), "an outcome libovo does not know");
        }

        [Test]
        public static void UnknownOutcomeValuesReadAsUnknown()
        {
            Assert.Equal(PaymentOutcome.Refunded, Payment.KnownOutcome(3), "3 is REFUNDED");
            Assert.Equal(PaymentOutcome.Unknown, Payment.KnownOutcome(4), "a newer value is unknown");
            Assert.Equal(PaymentOutcome.Unknown, Payment.KnownOutcome(uint.MaxValue), "any value it does not know");
        }
    }
}
