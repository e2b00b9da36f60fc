using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Ovo
{
    /// <summary>
    /// The result of one push payment or status check (<see cref="Kind"/>), copied out of
    /// libovo's <c>ovo_payment</c> (which is freed at once, so this object holds no native
    /// resource and needs no disposal). Immutable. Response fields are <c>null</c> when DOKU did
    /// not send them or gave no usable answer.
    /// </summary>
    public sealed class Payment
    {
        private static readonly TimeSpan JakartaOffset = TimeSpan.FromHours(7);

        private readonly byte[] rawBody;

        /// <summary>Copies a live native payment; <paramref name="handle"/> stays valid meanwhile
        /// (its owner is kept alive by the caller).</summary>
        private Payment(IntPtr handle)
        {
            Result = (OvoResult)NativeMethods.ovo_payment_result(handle);
            Outcome = KnownOutcome(NativeMethods.ovo_payment_outcome(handle));
            Kind = (PaymentKind)NativeMethods.ovo_payment_kind(handle);
            Cancelled = NativeMethods.ovo_payment_cancelled(handle);
            NotFound = NativeMethods.ovo_payment_not_found(handle);
            HttpStatus = (int)NativeMethods.ovo_payment_http_status(handle);
            RequestId = Utf8.FromNative(NativeMethods.ovo_payment_request_id(handle)) ?? string.Empty;

            IntPtr error = NativeMethods.ovo_payment_error(handle);
            if (error != IntPtr.Zero)
            {
                ErrorMessage = Utf8.FromNative(NativeMethods.ovo_error_message(error));
                ErrorField = Utf8.FromNative(NativeMethods.ovo_error_field(error));
            }

            UIntPtr length;
            IntPtr body = NativeMethods.ovo_payment_raw_body(handle, out length);
            ulong n = length.ToUInt64();
            rawBody = new byte[body == IntPtr.Zero ? 0 : (int)Math.Min(n, (ulong)int.MaxValue)];
            if (rawBody.Length > 0)
            {
                Marshal.Copy(body, rawBody, 0, rawBody.Length);
            }
            RawJson = Encoding.UTF8.GetString(rawBody);

            ClientId = Text(handle, NativeField.ClientId);
            InvoiceNumber = Text(handle, NativeField.InvoiceNumber);
            Amount = Number(handle, NativeField.Amount);
            OvoId = Text(handle, NativeField.OvoId);
            AccountName = Text(handle, NativeField.AccountName);
            MerchantId = Text(handle, NativeField.MerchantId);
            StoreCode = Text(handle, NativeField.StoreCode);
            Mid = Text(handle, NativeField.Mid);
            Tid = Text(handle, NativeField.Tid);
            DateText = Text(handle, NativeField.Date);
            BatchNumber = Number(handle, NativeField.BatchNumber);
            TraceNumber = Number(handle, NativeField.TraceNumber);
            ReferenceNumber = Number(handle, NativeField.ReferenceNumber);
            ApprovalCode = Text(handle, NativeField.ApprovalCode);
            ResponseCode = Text(handle, NativeField.ResponseCode);
            CashUsed = Number(handle, NativeField.CashUsed);
            CashBalance = Number(handle, NativeField.CashBalance);
            PointsUsed = Number(handle, NativeField.PointsUsed);
            PointsBalance = Number(handle, NativeField.PointsBalance);
            PointsEarned = Number(handle, NativeField.PointsEarned);
            Status = Text(handle, NativeField.Status);
            CheckSum = Text(handle, NativeField.CheckSum);

            TransactionStatus = Text(handle, NativeField.TransactionStatus);
            TransactionDate = Text(handle, NativeField.TransactionDate);
            OriginalRequestId = Text(handle, NativeField.OriginalRequestId);
            ServiceId = Text(handle, NativeField.ServiceId);
            AcquirerId = Text(handle, NativeField.AcquirerId);
            ChannelId = Text(handle, NativeField.ChannelId);
            CheckAmount = Number(handle, NativeField.CheckAmount);
            CheckInvoiceNumber = Text(handle, NativeField.CheckInvoiceNumber);
            CheckResponseCode = Text(handle, NativeField.CheckResponseCode);

            RequestInvoiceNumber = Text(handle, NativeField.RequestInvoiceNumber);
            RequestAmount = Number(handle, NativeField.RequestAmount);
            RequestOvoId = Text(handle, NativeField.RequestOvoId);

            JournalState = Text(handle, NativeField.JournalState);
            JournalCreatedAt = JournalTime(Text(handle, NativeField.JournalCreatedAt));
            JournalUpdatedAt = JournalTime(Text(handle, NativeField.JournalUpdatedAt));

            IntPtr lastCheck = NativeMethods.ovo_payment_last_check(handle);
            if (lastCheck != IntPtr.Zero)
            {
                LastCheck = new Payment(lastCheck); // borrowed: valid while its push is
            }

            DateTime date;
            if (DateText != null && DateTime.TryParseExact(
                    DateText, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                Date = new DateTimeOffset(date, JakartaOffset);
            }
            if (ResponseCode != null)
            {
                ResponseCodeInfo = OvoCodes.Describe(ResponseCode);
            }
        }

        /// <summary>Copies everything out of a live native payment (the caller still owns and
        /// frees <paramref name="handle"/>).</summary>
        internal static Payment FromHandle(OvoPaymentHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return new Payment(handle.DangerousGetHandle());
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>Copies every payment of a native list (the caller still owns and frees
        /// <paramref name="list"/>, which owns its payments).</summary>
        internal static Payment[] FromList(OvoPaymentListHandle list)
        {
            bool added = false;
            try
            {
                list.DangerousAddRef(ref added);
                ulong count = NativeMethods.ovo_payment_list_len(list).ToUInt64();
                var payments = new Payment[count];
                for (ulong i = 0; i < count; i++)
                {
                    IntPtr item = NativeMethods.ovo_payment_list_get(list, new UIntPtr(i));
                    if (item == IntPtr.Zero)
                    {
                        throw new OvoInternalException("libovo's list has no payment at index " + i, null);
                    }
                    payments[i] = new Payment(item); // borrowed: valid while the list is
                }
                return payments;
            }
            finally
            {
                if (added)
                {
                    list.DangerousRelease();
                }
            }
        }

        /// <summary>A journal time, UTC <c>YYYY-MM-DDTHH:MM:SS.mmmZ</c>; <c>null</c> when absent.</summary>
        private static DateTimeOffset? JournalTime(string text)
        {
            DateTime time;
            if (text != null && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time))
            {
                return new DateTimeOffset(time, TimeSpan.Zero);
            }
            return null;
        }

        /// <summary>An outcome value this binding does not know (from a newer libovo) is unknown.</summary>
        internal static PaymentOutcome KnownOutcome(uint value)
        {
            return Enum.IsDefined(typeof(PaymentOutcome), value) ? (PaymentOutcome)value : PaymentOutcome.Unknown;
        }

        private static string Text(IntPtr handle, NativeField field)
        {
            return Utf8.FromNative(NativeMethods.ovo_payment_text(handle, (uint)field));
        }

        private static long? Number(IntPtr handle, NativeField field)
        {
            long value;
            return NativeMethods.ovo_payment_number(handle, (uint)field, out value) ? value : (long?)null;
        }

        // ---- what libovo decided -----------------------------------------------------------

        /// <summary>Which request this describes: a push or a status check.</summary>
        public PaymentKind Kind { get; }

        /// <summary>What the call did: <see cref="OvoResult.Ok"/> when DOKU gave a usable answer,
        /// otherwise why not. A reconciled push keeps its own result (e.g.
        /// <see cref="OvoResult.OutcomeUnknown"/>) while <see cref="Outcome"/> is its last check's.</summary>
        public OvoResult Result { get; }

        /// <summary>Whether the customer paid. <see cref="PaymentOutcome.Unknown"/> (DOKU's TIMEOUT or
        /// PENDING, no usable answer, a cancel, not found) must never be treated as failed: check
        /// the status with DOKU. For a push libovo reconciled, its last status check's outcome.</summary>
        public PaymentOutcome Outcome { get; }

        /// <summary>True when the caller cancelled the wait (a <see cref="System.Threading.CancellationToken"/>):
        /// the outcome is then unknown (or not paid when nothing had left) and the customer may
        /// still pay: check the status.</summary>
        public bool Cancelled { get; }

        /// <summary>True when a status check found no payment for the invoice (for a push, its last
        /// check). DOKU may lag behind a push: the outcome stays unknown, never "not paid".</summary>
        public bool NotFound { get; }

        /// <summary>For a push libovo reconciled (<see cref="OvoClientOptions.ReconcileMaxWait"/>):
        /// its last status check (<see cref="PaymentKind.StatusCheck"/>), else <c>null</c>.</summary>
        public Payment LastCheck { get; }

        /// <summary>libovo's error message when <see cref="Result"/> is not OK, else <c>null</c>.</summary>
        public string ErrorMessage { get; }

        /// <summary>The field at fault for <see cref="OvoResult.InvalidArgument"/>, else <c>null</c>.</summary>
        public string ErrorField { get; }

        /// <summary>The HTTP status DOKU answered with, or 0 when no answer came.</summary>
        public int HttpStatus { get; }

        /// <summary>The <c>Request-Id</c> header sent (a UUID), or <c>""</c> when nothing was sent
        /// because the call was refused first (an invalid argument, a push in flight...).</summary>
        public string RequestId { get; }

        /// <summary>The response body as received (at most 1 MiB), decoded as UTF-8 (invalid bytes
        /// become U+FFFD); <c>""</c> when none came. It may be an error page rather than JSON.</summary>
        public string RawJson { get; }

        /// <summary>A copy of the response body's bytes as received.</summary>
        public byte[] GetRawBody()
        {
            return (byte[])rawBody.Clone();
        }

        // ---- DOKU's answer -----------------------------------------------------------------

        /// <summary><c>ovo_payment.status</c>: <c>SUCCESS</c>, <c>FAILED</c> or <c>TIMEOUT</c>.</summary>
        public string Status { get; }

        /// <summary><c>ovo_payment.response_code</c>, e.g. <c>"00"</c> or <c>"17"</c>.</summary>
        public string ResponseCode { get; }

        /// <summary>The spec's entry for <see cref="ResponseCode"/>, or <c>null</c> when there is none.</summary>
        public OvoCodeInfo ResponseCodeInfo { get; }

        /// <summary>The spec's description of <see cref="ResponseCode"/>, or <c>null</c>.</summary>
        public string ResponseDescription
        {
            get { return ResponseCodeInfo == null ? null : ResponseCodeInfo.Description; }
        }

        /// <summary><c>client.id</c>.</summary>
        public string ClientId { get; }

        /// <summary><c>order.invoice_number</c>.</summary>
        public string InvoiceNumber { get; }

        /// <summary><c>order.amount</c>, in whole rupiah.</summary>
        public long? Amount { get; }

        /// <summary><c>ovo_info.ovo_id</c>.</summary>
        public string OvoId { get; }

        /// <summary><c>ovo_info.ovo_account_name</c>.</summary>
        public string AccountName { get; }

        /// <summary><c>ovo_configuration.merchant_id</c>.</summary>
        public string MerchantId { get; }

        /// <summary><c>ovo_configuration.store_code</c>.</summary>
        public string StoreCode { get; }

        /// <summary><c>ovo_configuration.mid</c>.</summary>
        public string Mid { get; }

        /// <summary><c>ovo_configuration.tid</c>.</summary>
        public string Tid { get; }

        /// <summary><c>ovo_payment.date</c> at UTC+07:00, or <c>null</c> when absent or not
        /// <c>yyyyMMddHHmmss</c> (see <see cref="DateText"/>).</summary>
        public DateTimeOffset? Date { get; }

        /// <summary><c>ovo_payment.date</c> as DOKU sent it (<c>yyyyMMddHHmmss</c>, UTC+7).</summary>
        public string DateText { get; }

        /// <summary><c>ovo_payment.batch_number</c>.</summary>
        public long? BatchNumber { get; }

        /// <summary><c>ovo_payment.trace_number</c>.</summary>
        public long? TraceNumber { get; }

        /// <summary><c>ovo_payment.reference_number</c>.</summary>
        public long? ReferenceNumber { get; }

        /// <summary><c>ovo_payment.approval_code</c>.</summary>
        public string ApprovalCode { get; }

        /// <summary><c>ovo_payment.cash_used</c>, in rupiah.</summary>
        public long? CashUsed { get; }

        /// <summary><c>ovo_payment.cash_balance</c>, in rupiah.</summary>
        public long? CashBalance { get; }

        /// <summary><c>ovo_payment.ovo_points_used</c>.</summary>
        public long? PointsUsed { get; }

        /// <summary><c>ovo_payment.ovo_points_balance</c>.</summary>
        public long? PointsBalance { get; }

        /// <summary><c>ovo_payment.ovo_points_earned</c>.</summary>
        public long? PointsEarned { get; }

        /// <summary><c>security.check_sum</c> as DOKU sent it (not verified: DOKU does not
        /// document how it is computed).</summary>
        public string CheckSum { get; }

        // ---- DOKU's status answer (a status check; on a reconciled push, its last check) ----

        /// <summary><c>transaction.status</c> as DOKU sent it, e.g. <c>SUCCESS</c>, <c>PENDING</c>.</summary>
        public string TransactionStatus { get; }

        /// <summary><c>transaction.date</c> as DOKU sent it.</summary>
        public string TransactionDate { get; }

        /// <summary><c>transaction.original_request_id</c>: the push's <c>Request-Id</c>.</summary>
        public string OriginalRequestId { get; }

        /// <summary><c>service.id</c>, e.g. <c>EMONEY</c>.</summary>
        public string ServiceId { get; }

        /// <summary><c>acquirer.id</c>, e.g. <c>OVO</c>.</summary>
        public string AcquirerId { get; }

        /// <summary><c>channel.id</c>, e.g. <c>EMONEY_OVO</c>.</summary>
        public string ChannelId { get; }

        /// <summary>The status answer's <c>order.amount</c>, in whole rupiah.</summary>
        public long? CheckAmount { get; }

        /// <summary>The status answer's <c>order.invoice_number</c>.</summary>
        public string CheckInvoiceNumber { get; }

        /// <summary>The status answer's <c>ovo_payment.response_code</c>, when DOKU includes it.</summary>
        public string CheckResponseCode { get; }

        // ---- what libovo was asked ---------------------------------------------------------

        /// <summary>The invoice number libovo was given (every payment has it).</summary>
        public string RequestInvoiceNumber { get; }

        /// <summary>The amount libovo was given; <c>null</c> for a status check without a known push.</summary>
        public long? RequestAmount { get; }

        /// <summary>The OVO ID libovo was given; <c>null</c> for a status check without a known push.</summary>
        public string RequestOvoId { get; }

        // ---- libovo's journal (OvoClientOptions.Journal) -------------------------------------

        /// <summary>Where the invoice stands in libovo's journal, on a payment read from it
        /// (<see cref="OvoClient.Unsettled"/>, a refusal such as <see cref="OvoAlreadyPaidException"/>,
        /// a final row <see cref="OvoClient.Settle"/> returned as stored): <c>SENDING</c> (in flight,
        /// or the program stopped while it was), <c>UNKNOWN</c>, <c>PAID</c>, <c>NOT_PAID</c>,
        /// <c>REFUNDED</c>, <c>NOT_SENT</c> or <c>REJECTED</c>; <c>null</c> otherwise.</summary>
        public string JournalState { get; }

        /// <summary>When the journal wrote the push (UTC, millisecond precision); <c>null</c>
        /// unless <see cref="JournalState"/> is set.</summary>
        public DateTimeOffset? JournalCreatedAt { get; }

        /// <summary>When the journal row last changed (UTC); <c>null</c> unless
        /// <see cref="JournalState"/> is set.</summary>
        public DateTimeOffset? JournalUpdatedAt { get; }

        /// <summary>A one-line summary (no secrets are ever held here).</summary>
        public override string ToString()
        {
            var s = new StringBuilder(Kind == PaymentKind.StatusCheck ? "Status check " : "Payment ");
            s.Append(RequestInvoiceNumber ?? InvoiceNumber ?? "?").Append(": ").Append(Outcome);
            if (Cancelled)
            {
                s.Append(", cancelled");
            }
            if (NotFound)
            {
                s.Append(", not found");
            }
            if (Result != OvoResult.Ok)
            {
                s.Append(" (").Append(Result).Append(": ").Append(ErrorMessage).Append(')');
            }
            if (Status != null)
            {
                s.Append(", ").Append(Status);
            }
            if (TransactionStatus != null)
            {
                s.Append(", status ").Append(TransactionStatus);
            }
            if (ResponseCode != null)
            {
                s.Append(' ').Append(ResponseCode);
                if (ResponseCodeInfo != null)
                {
                    s.Append(" ").Append(ResponseCodeInfo.Name);
                }
            }
            if (JournalState != null)
            {
                s.Append(", journal ").Append(JournalState);
            }
            if (HttpStatus != 0)
            {
                s.Append(", HTTP ").Append(HttpStatus);
            }
            if (!string.IsNullOrEmpty(RequestId))
            {
                s.Append(", request ").Append(RequestId);
            }
            return s.ToString();
        }
    }
}
