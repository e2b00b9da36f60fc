// Every libovo import, and nothing else. Mirrors include/ovo.h one to one.
//
// Rules kept here so the rest of the binding can rely on them:
// - Strings go in as NUL-terminated UTF-8 byte arrays made by Utf8.ToNative (never `string`).
// - Strings come out as IntPtr and are decoded by Utf8.FromNative while their owner is alive.
// - Owned objects come back as SafeHandle subclasses; borrowed pointers stay IntPtr.
// - Every enum crosses as its uint32 value.

using System;
using System.Runtime.InteropServices;

namespace Ovo
{
    internal static class NativeMethods
    {
        /// <summary>"ovo": libovo.so on Linux (Mono and .NET), ovo.dll on Windows.</summary>
        internal const string Library = "ovo";

        /// <summary>OVO_CHECKSUM_BUFFER_LEN: 64 hex characters and a NUL.</summary>
        internal const int ChecksumBufferLength = 65;

        /// <summary>ovo_payment_callback. Called exactly once, on a library thread.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void PaymentCallback(IntPtr userdata, IntPtr payment);

        /// <summary>ovo_log_callback. Called on any thread, possibly on several at once.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(IntPtr userdata, uint level, IntPtr message);

        // ---- cancel handles ----------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OvoCancelHandle ovo_payment_handle_new();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_payment_cancel(OvoCancelHandle handle);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_payment_handle_free(IntPtr handle);

        // ---- checksum ----------------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_checksum(
            long amount,
            byte[] clientId,
            byte[] invoiceNumber,
            byte[] ovoId,
            byte[] secretKey,
            [In, Out] byte[] output,
            UIntPtr outputLength,
            out OvoErrorHandle error);

        // ---- client ------------------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_client_new(
            byte[] clientId,
            byte[] secretKey,
            OvoConfigHandle config,
            out OvoClientHandle client,
            out OvoErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_client_free(IntPtr client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_push_payment(
            OvoClientHandle client,
            byte[] invoiceNumber,
            long amount,
            byte[] ovoId,
            out OvoPaymentHandle payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_push_payment_async(
            OvoClientHandle client,
            byte[] invoiceNumber,
            long amount,
            byte[] ovoId,
            PaymentCallback callback,
            IntPtr userdata,
            out OvoCancelHandle handle,
            out OvoErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_push_payment_cancellable(
            OvoClientHandle client,
            byte[] invoiceNumber,
            long amount,
            byte[] ovoId,
            OvoCancelHandle handle,
            out OvoPaymentHandle payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_check_status(
            OvoClientHandle client,
            byte[] invoiceNumber,
            out OvoPaymentHandle payment);

        // ---- journal: open invoices and settling them ----------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_journal_unsettled(
            OvoClientHandle client,
            out OvoPaymentListHandle list,
            out OvoErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_client_settle(
            OvoClientHandle client,
            byte[] invoiceNumber,
            out OvoPaymentHandle payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_client_settle_all(
            OvoClientHandle client,
            out OvoPaymentListHandle list,
            out OvoErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern UIntPtr ovo_payment_list_len(OvoPaymentListHandle list);

        /// <summary>Borrowed from the list: do not free.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_list_get(OvoPaymentListHandle list, UIntPtr index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_payment_list_free(IntPtr list);

        // ---- response codes ----------------------------------------------------------------

        /// <summary>Returns a static <c>const ovo_code_info *</c>, never NULL.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_code_describe(byte[] code);

        // ---- config ------------------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OvoConfigHandle ovo_config_new();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_config_free(IntPtr config);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_environment(OvoConfigHandle config, uint environment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_base_url(OvoConfigHandle config, byte[] url);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_connect_timeout_ms(OvoConfigHandle config, uint ms);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_timeout_ms(OvoConfigHandle config, uint ms);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_status_timeout_ms(OvoConfigHandle config, uint ms);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_reconcile(OvoConfigHandle config, uint firstDelayMs, uint maxWaitMs);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_timeout_ms(OvoConfigHandle config);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_connect_timeout_ms(OvoConfigHandle config);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_status_timeout_ms(OvoConfigHandle config);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_journal(OvoConfigHandle config, byte[] path);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_ca_file(OvoConfigHandle config, byte[] path);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_config_set_proxy(OvoConfigHandle config, uint mode, byte[] url);

        // ---- error (owned through OvoErrorHandle, or borrowed from a payment) ----------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_error_result(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_error_message(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_error_field(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_error_free(IntPtr error);

        // ---- log hook, names ----------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_set_log_callback(uint minLevel, LogCallback callback, IntPtr userdata);

        /// <summary>Static, never NULL.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_result_name(uint result);

        /// <summary>Static, never NULL.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_outcome_name(uint outcome);

        // ---- payment (accessors take the raw pointer: Payment keeps its owner alive) ----------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void ovo_payment_free(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_payment_result(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_payment_outcome(IntPtr payment);

        /// <summary>Borrowed from the payment: do not free.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_error(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_payment_http_status(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint ovo_payment_kind(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool ovo_payment_cancelled(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool ovo_payment_not_found(IntPtr payment);

        /// <summary>Borrowed from the payment: do not free.</summary>
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_last_check(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_request_id(IntPtr payment);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_raw_body(IntPtr payment, out UIntPtr length);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_payment_text(IntPtr payment, uint field);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool ovo_payment_number(IntPtr payment, uint field, out long value);

        // ---- version -----------------------------------------------------------------------

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr ovo_version();
    }

    /// <summary>The <c>ovo_field</c> values (explicit and never reused in the C ABI).</summary>
    internal enum NativeField : uint
    {
        ClientId = 1,
        InvoiceNumber = 2,
        Amount = 3,
        OvoId = 4,
        AccountName = 5,
        MerchantId = 6,
        StoreCode = 7,
        Mid = 8,
        Tid = 9,
        Date = 10,
        BatchNumber = 11,
        TraceNumber = 12,
        ReferenceNumber = 13,
        ApprovalCode = 14,
        ResponseCode = 15,
        CashUsed = 16,
        CashBalance = 17,
        PointsUsed = 18,
        PointsBalance = 19,
        PointsEarned = 20,
        Status = 21,
        CheckSum = 22,
        TransactionStatus = 23,
        TransactionDate = 24,
        OriginalRequestId = 25,
        ServiceId = 26,
        AcquirerId = 27,
        ChannelId = 28,
        CheckAmount = 29,
        CheckInvoiceNumber = 30,
        CheckResponseCode = 31,
        RequestInvoiceNumber = 32,
        RequestAmount = 33,
        RequestOvoId = 34,
        JournalState = 35,
        JournalCreatedAt = 36,
        JournalUpdatedAt = 37,
    }
}
