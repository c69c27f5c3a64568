// Whether a double converts to an integer type without undefined behaviour (the conversion
// truncates toward zero; a value whose truncation the type cannot hold, NaN or an infinity is
// undefined). For decoders of numbers that may arrive as floats.
#pragma once

namespace goodhart {

inline bool TruncatesIntoInt64(double d) { return d >= -0x1p63 && d < 0x1p63; }
inline bool TruncatesIntoUint64(double d) { return d > -1.0 && d < 0x1p64; }

}  // namespace goodhart
