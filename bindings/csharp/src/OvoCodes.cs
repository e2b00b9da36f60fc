using System;
using System.Runtime.InteropServices;

namespace Ovo
{
    /// <summary>What the spec says about one OVO response code (<c>ovo_code_info</c>).</summary>
    public sealed class OvoCodeInfo
    {
        internal OvoCodeInfo(string code, string name, string description, bool known)
        {
            Code = code;
            Name = name;
            Description = description;
            Known = known;
        }

        /// <summary>The code, e.g. <c>"17"</c>; <c>"??"</c> when it is not in the spec's table.</summary>
        public string Code { get; }

        /// <summary>The spec's name, e.g. <c>"Transaction Decline"</c>.</summary>
        public string Name { get; }

        /// <summary>The spec's description.</summary>
        public string Description { get; }

        /// <summary>False when the code is not in the spec's table (or was <c>null</c>).</summary>
        public bool Known { get; }

        /// <summary>"17 Transaction Decline: OVO User canceled payment using OVO Apps".</summary>
        public override string ToString()
        {
            return Code + " " + Name + ": " + Description;
        }
    }

    /// <summary>OVO response codes (<c>ovo_payment.response_code</c>), from libovo's copy of the
    /// spec's table.</summary>
    public static class OvoCodes
    {
        /// <summary>Describes <paramref name="code"/>; an unknown or <c>null</c> code gives an entry
        /// whose <see cref="OvoCodeInfo.Known"/> is false. Never returns <c>null</c>.</summary>
        public static OvoCodeInfo Describe(string code)
        {
            OvoLibrary.EnsureLoaded();
            IntPtr info = NativeMethods.ovo_code_describe(Utf8.ToNative(code));
            if (info == IntPtr.Zero)
            {
                // The ABI promises never NULL; do not crash a payment path if that ever breaks.
                return new OvoCodeInfo("??", "Unknown", "libovo returned no description", false);
            }
            // typedef struct { const char *code, *name, *description; bool known; } ovo_code_info;
            int size = IntPtr.Size;
            return new OvoCodeInfo(
                Utf8.FromNative(Marshal.ReadIntPtr(info, 0)),
                Utf8.FromNative(Marshal.ReadIntPtr(info, size)),
                Utf8.FromNative(Marshal.ReadIntPtr(info, 2 * size)),
                Marshal.ReadByte(info, 3 * size) != 0);
        }
    }
}
