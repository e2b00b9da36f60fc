using System;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    internal static class DisposalTests
    {
        [Test]
        public static void DisposeTwiceIsHarmless()
        {
            var c = Sandbox.Client();
            c.Dispose();
            c.Dispose();
        }

        [Test]
        public static void UseAfterDisposeThrows()
        {
            var c = Sandbox.Client();
            c.Dispose();
            int before = OvoClient.PendingCallbacks;
            Assert.Throws<ObjectDisposedException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "blocking");
            Task<Payment> t = c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet); // never throws
            Assert.Faults<ObjectDisposedException>(t, "async");
            Assert.Equal(before, OvoClient.PendingCallbacks, "nothing started");
        }

        [Test]
        public static void DisposeWhileAsyncPaymentInFlight()
        {
            var c = Sandbox.Client(Sandbox.HoldUrl);
            string invoice = Sandbox.Invoice();
            Task<Payment> t = c.PushPaymentAsync(invoice, 4200, Sandbox.ManualWallet);
            Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
            c.Dispose();
            Sandbox.Pay(invoice, "cash", Sandbox.HoldUrl);
            Assert.Equal(PaymentOutcome.Paid, t.Result.Outcome, "the payment finishes normally");
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void DisposeWhileBlockingPaymentInFlight()
        {
            var c = Sandbox.Client(Sandbox.HoldUrl);
            string invoice = Sandbox.Invoice();
            Task<Payment> t = Task.Run(() => c.PushPayment(invoice, 4300, Sandbox.ManualWallet));
            Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
            c.Dispose(); // the SafeHandle defers ovo_client_free until the call returns
            Assert.Throws<ObjectDisposedException>(() => c.PushPayment(Sandbox.Invoice(), 1, Sandbox.CashWallet), "new calls refused");
            Sandbox.Pay(invoice, "points", Sandbox.HoldUrl);
            Assert.Equal(PaymentOutcome.Paid, t.Result.Outcome, "the payment finishes normally");
        }

        [Test]
        public static void UndisposedClientsAreFinalized()
        {
            for (int i = 0; i < 20; i++)
            {
                Sandbox.Client().PushPayment(Sandbox.Invoice(), 100, Sandbox.CashWallet);
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        [Test]
        public static void PaymentsOutliveTheirClient()
        {
            Payment p;
            using (var c = Sandbox.Client())
            {
                p = c.PushPayment(Sandbox.Invoice(), 100, Sandbox.CashWallet);
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // Payment is a managed copy: reading it after the client (and the native payment) are gone is safe.
            Assert.Equal(PaymentOutcome.Paid, p.Outcome, "Outcome");
            Assert.Contains("SUCCESS", p.RawJson, "RawJson");
        }
    }
}
