using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// The metadata tokens a method body names (calls, field accesses, <c>newobj</c>, <c>castclass</c>, <c>isinst</c>, <c>box</c>,
/// <c>ldtoken</c>…), found by walking its IL with the operand sizes of <see cref="OpCodes"/>. An opcode it does not know
/// is an error, never a skipped byte.
/// </summary>
internal static class IlTokens
{
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value), o => o.OperandType);

    public static IEnumerable<EntityHandle> Read(byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            ushort code = il[at++];
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il[at++]);
            }

            if (!Operands.TryGetValue(code, out var operand))
            {
                throw new InvalidOperationException($"Unknown IL opcode 0x{code:X} at offset {at}.");
            }

            switch (operand)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType
                    or OperandType.InlineSig:
                    yield return MetadataTokens.EntityHandle(BitConverter.ToInt32(il, at));
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += Size(operand);
                    break;
            }
        }
    }

    private static int Size(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineString => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => throw new InvalidOperationException($"No operand size known for {operand}."),
    };
}
