using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Ovo
{
    /// <summary>UTF-8 marshaling by hand (netstandard2.0 and .NET Framework have no
    /// <c>UnmanagedType.LPUTF8Str</c> everywhere).</summary>
    internal static class Utf8
    {
        /// <summary>
        /// NUL-terminated UTF-8 for libovo; <c>null</c> stays <c>null</c> (a NULL pointer, which
        /// libovo reports as an invalid argument naming the parameter).
        /// A string that NUL-terminated UTF-8 cannot carry is not "fixed" here, and not
        /// rejected here either: an embedded U+0000 becomes the overlong pair C0 80 and an unpaired
        /// surrogate its 3-byte form, both invalid UTF-8, so libovo itself rejects the argument
        /// and names it, instead of C silently truncating or the encoder silently replacing it.
        /// </summary>
        internal static byte[] ToNative(string value)
        {
            if (value == null)
            {
                return null;
            }
            var bytes = new byte[value.Length * 3 + 1];
            int n = 0;
            for (int i = 0; i < value.Length; i++)
            {
                int c = value[i];
                if (c == 0)
                {
                    bytes[n++] = 0xC0;
                    bytes[n++] = 0x80;
                }
                else if (c < 0x80)
                {
                    bytes[n++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    bytes[n++] = (byte)(0xC0 | (c >> 6));
                    bytes[n++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (char.IsHighSurrogate((char)c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    int cp = char.ConvertToUtf32((char)c, value[i + 1]);
                    i++;
                    bytes[n++] = (byte)(0xF0 | (cp >> 18));
                    bytes[n++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    bytes[n++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[n++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    // Includes unpaired surrogates (D800-DFFF), which makes the bytes invalid UTF-8.
                    bytes[n++] = (byte)(0xE0 | (c >> 12));
                    bytes[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    bytes[n++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            bytes[n++] = 0;
            Array.Resize(ref bytes, n);
            return bytes;
        }

        /// <summary>Overwrites a buffer that held a secret.</summary>
        internal static void Clear(byte[] bytes)
        {
            if (bytes != null)
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>Decodes a NUL-terminated UTF-8 string; NULL gives <c>null</c>. Invalid bytes
        /// become U+FFFD. The caller keeps the string's owner alive meanwhile.</summary>
        internal static string FromNative(IntPtr text)
        {
            if (text == IntPtr.Zero)
            {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0)
            {
                length++;
            }
            return FromNative(text, length);
        }

        /// <summary>Decodes <paramref name="length"/> bytes of UTF-8 (invalid bytes become U+FFFD).</summary>
        internal static string FromNative(IntPtr text, int length)
        {
            if (text == IntPtr.Zero)
            {
                return null;
            }
            if (length == 0)
            {
                return string.Empty;
            }
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>The text before the first NUL of a buffer libovo wrote.</summary>
        internal static string FromBuffer(byte[] buffer)
        {
            int length = Array.IndexOf(buffer, (byte)0);
            if (length < 0)
            {
                length = buffer.Length;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
