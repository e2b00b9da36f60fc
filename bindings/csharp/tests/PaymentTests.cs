using System;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>The blocking call against ovo-sandbox: every DOKU answer is a result, not an exception.</summary>
    internal static class PaymentTests
    {
        internal static void AssertAnswered(Payment p, string invoice, long amount, string ovoId)
        {
            Assert.Equal(OvoResult.Ok, p.Result, "Result");
            Assert.Null(p.ErrorMessage, "ErrorMessage");
            Assert.Null(p.ErrorField, "ErrorField");
            Assert.Equal(200, p.HttpStatus, "HttpStatus");
            Assert.True(Regex.IsMatch(p.RequestId, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$"), "RequestId is a UUID v4: " + p.RequestId);
            Assert.Equal(Sandbox.ClientId, p.ClientId, "ClientId");
            Assert.Equal(invoice, p.InvoiceNumber, "InvoiceNumber");
            Assert.Equal((long?)amount, p.Amount, "Amount");
            Assert.Equal(ovoId, p.OvoId, "OvoId");
            Assert.Contains(invoice, p.RawJson, "RawJson");
            Assert.True(p.RawJson.TrimStart().StartsWith("{"), "RawJson is the JSON body");
            Assert.Equal(p.RawJson, System.Text.Encoding.UTF8.GetString(p.GetRawBody()), "GetRawBody");
            Assert.NotNull(p.ResponseCode, "ResponseCode");
            Assert.NotNull(p.ResponseCodeInfo, "ResponseCodeInfo");
            Assert.Equal(p.ResponseCode, p.ResponseCodeInfo.Code, "ResponseCodeInfo.Code");
            Assert.Equal(OvoCodes.Describe(p.ResponseCode).Description, p.ResponseDescription, "ResponseDescription");
            Assert.NotNull(p.DateText, "DateText");
            Assert.True(p.Date.HasValue, "Date parsed from " + p.DateText);
            Assert.Equal(TimeSpan.FromHours(7), p.Date.Value.Offset, "Date offset");
            Assert.Equal(p.DateText, p.Date.Value.ToString("yyyyMMddHHmmss"), "Date round-trips");
            Assert.True(Math.Abs((p.Date.Value - DateTimeOffset.UtcNow).TotalMinutes) < 10, "Date is now: " + p.Date);
            Assert.NotNull(p.CheckSum, "CheckSum");
            Assert.NotNull(p.MerchantId, "MerchantId");
            Assert.NotNull(p.StoreCode, "StoreCode");
            Assert.NotNull(p.Mid, "Mid");
            Assert.NotNull(p.Tid, "Tid");
            Assert.True(p.BatchNumber.HasValue && p.TraceNumber.HasValue && p.ReferenceNumber.HasValue, "batch/trace/reference numbers");
            Assert.True(p.CashUsed.HasValue && p.CashBalance.HasValue && p.PointsUsed.HasValue && p.PointsBalance.HasValue && p.PointsEarned.HasValue, "cash and points");
        }

        [Test]
        public static void PaidWithCash()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment p = c.PushPayment(invoice, 25000, Sandbox.CashWallet);
                AssertAnswered(p, invoice, 25000, Sandbox.CashWallet);
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "Outcome");
                Assert.Equal("SUCCESS", p.Status, "Status");
                Assert.Equal("00", p.ResponseCode, "ResponseCode");
                Assert.Equal((long?)25000, p.CashUsed, "CashUsed");
                Assert.Equal((long?)0, p.PointsUsed, "PointsUsed");
                Assert.True(!string.IsNullOrEmpty(p.AccountName), "AccountName");
                Assert.True(!string.IsNullOrEmpty(p.ApprovalCode), "ApprovalCode");
                Assert.Contains("Paid", p.ToString(), "ToString");
            }
        }

        [Test]
        public static void PaidWithPoints()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment p = c.PushPayment(invoice, 3000, Sandbox.PointsWallet);
                AssertAnswered(p, invoice, 3000, Sandbox.PointsWallet);
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "Outcome");
                Assert.Equal((long?)3000, p.PointsUsed, "PointsUsed");
                Assert.Equal((long?)0, p.CashUsed, "CashUsed");
            }
        }

        [Test]
        public static void DeclinedIsNotPaidNotAnException()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment p = c.PushPayment(invoice, 1500, Sandbox.DeclineWallet);
                AssertAnswered(p, invoice, 1500, Sandbox.DeclineWallet);
                Assert.Equal(PaymentOutcome.NotPaid, p.Outcome, "Outcome");
                Assert.Equal("FAILED", p.Status, "Status");
                Assert.Equal("17", p.ResponseCode, "ResponseCode");
                Assert.Equal("Transaction Decline", p.ResponseCodeInfo.Name, "name");
            }
        }

        [Test]
        public static void EveryFailureCode()
        {
            using (var c = Sandbox.Client())
            {
                foreach (string code in new[] { "14", "26", "56", "61", "64", "65", "67" })
                {
                    string invoice = Sandbox.Invoice();
                    string wallet = "0899000000" + code;
                    Payment p = c.PushPayment(invoice, 2000, wallet);
                    Assert.Equal(OvoResult.Ok, p.Result, code + " Result");
                    Assert.Equal(PaymentOutcome.NotPaid, p.Outcome, code + " Outcome");
                    Assert.Equal("FAILED", p.Status, code + " Status");
                    Assert.Equal(code, p.ResponseCode, code + " ResponseCode");
                    Assert.True(p.ResponseCodeInfo.Known, code + " known");
                    Assert.Equal(invoice, p.InvoiceNumber, code + " invoice");
                }
            }
        }

        [Test]
        public static void DokuTimeoutIsUnknownNeverFailed()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment p = c.PushPayment(invoice, 4000, Sandbox.SilentWallet);
                Assert.Equal(OvoResult.Ok, p.Result, "a TIMEOUT answer is a result");
                Assert.Equal(PaymentOutcome.Unknown, p.Outcome, "TIMEOUT is unknown, not failed");
                Assert.Equal("TIMEOUT", p.Status, "Status");
                Assert.Equal("68", p.ResponseCode, "ResponseCode");
            }
        }

        [Test]
        public static void DuplicateInvoiceFailed40IsUnknownWithDokusFields()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Assert.Equal(PaymentOutcome.Paid, c.PushPayment(invoice, 1000, Sandbox.CashWallet).Outcome, "first");
                // FAILED 40: this push charged nothing, but the invoice's earlier payment may be paid.
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 1000, Sandbox.CashWallet), "code 40");
                Assert.Equal(OvoResult.OutcomeUnknown, e.Payment.Result, "Result");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "40 is unknown, never not paid");
                Assert.Equal("FAILED", e.Payment.Status, "DOKU's Status still readable");
                Assert.Equal("40", e.Payment.ResponseCode, "DOKU's ResponseCode still readable");
                Assert.Equal(200, e.Payment.HttpStatus, "HttpStatus");
                Assert.Contains("code 40", e.Message, "the message says so");
                Assert.Contains("status", e.Message, "and names the next step");
            }
        }

        [Test]
        public static void CustomerApprovesThroughTheSimulator()
        {
            using (var c = Sandbox.Client(Sandbox.HoldUrl))
            {
                string invoice = Sandbox.Invoice();
                Task<Payment> push = Task.Run(() => c.PushPayment(invoice, 7777, Sandbox.ManualWallet));
                Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
                Sandbox.Pay(invoice, "points", Sandbox.HoldUrl);
                Payment p = push.Result;
                AssertAnswered(p, invoice, 7777, Sandbox.ManualWallet);
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "Outcome");
                Assert.Equal((long?)7777, p.PointsUsed, "PointsUsed");
            }
        }

        [Test]
        public static void BadInputsAreInvalidArgumentsWithAPayment()
        {
            using (var c = Sandbox.Client())
            {
                Bad(c, null, 1000, Sandbox.CashWallet, "order.invoice_number");
                Bad(c, "", 1000, Sandbox.CashWallet, "order.invoice_number");
                Bad(c, new string('I', 65), 1000, Sandbox.CashWallet, "order.invoice_number");
                Bad(c, "INV\u0000" + Sandbox.Invoice(), 1000, Sandbox.CashWallet, "order.invoice_number");
                Bad(c, Sandbox.Invoice(), 0, Sandbox.CashWallet, "order.amount");
                Bad(c, Sandbox.Invoice(), -1, Sandbox.CashWallet, "order.amount");
                Bad(c, Sandbox.Invoice(), long.MaxValue, Sandbox.CashWallet, "order.amount");
                Bad(c, Sandbox.Invoice(), 1000, null, "ovo_info.ovo_id");
                Bad(c, Sandbox.Invoice(), 1000, "0812-1111-1111", "ovo_info.ovo_id");
                Bad(c, Sandbox.Invoice(), 1000, "0812", "ovo_info.ovo_id");
                Bad(c, Sandbox.Invoice(), 1000, "0812111111111111111", "ovo_info.ovo_id");
                Bad(c, Sandbox.Invoice(), 1000, "\uD83D", "ovo_info.ovo_id");
            }
        }

        private static void Bad(OvoClient c, string invoice, long amount, string ovoId, string field)
        {
            var e = Assert.Throws<OvoInvalidArgumentException>(() => c.PushPayment(invoice, amount, ovoId), field);
            Assert.Equal(field, e.Field, "Field");
            Assert.NotNull(e.Payment, "the blocking call always has a payment");
            Assert.Equal(OvoResult.InvalidArgument, e.Payment.Result, "Payment.Result");
            Assert.Equal(field, e.Payment.ErrorField, "Payment.ErrorField");
            Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "nothing sent, not paid");
            Assert.Equal("", e.Payment.RequestId, "nothing sent, no request id");
            Assert.Equal(0, e.Payment.HttpStatus, "HttpStatus");
            Assert.Null(e.Payment.Status, "Status");
        }
    }
}
