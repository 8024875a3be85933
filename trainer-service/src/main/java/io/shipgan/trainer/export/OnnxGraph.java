package io.shipgan.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph under construction: nodes in execution order and their constant inputs (initializers). Each
 * {@code add} call appends one node and returns the name of its output, which the next node takes as input.
 */
final class OnnxGraph {

    private final String name;
    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();

    OnnxGraph(String name) {
        this.name = name;
    }

    /** Appends a node of the given operator; its output is named after the node. */
    String add(String nodeName, String operator, List<String> inputs, List<AttributeProto> attributes) {
        String output = nodeName + "_out";
        nodes.add(NodeProto.newBuilder()
                .setName(nodeName)
                .setOpType(operator)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(attributes));
        return output;
    }

    /** Appends a node whose output has the given name (a graph output other than the last node's). */
    String addWithOutput(String nodeName, String operator, List<String> inputs, String output) {
        nodes.add(NodeProto.newBuilder()
                .setName(nodeName)
                .setOpType(operator)
                .addAllInput(inputs)
                .addOutput(output));
        return output;
    }

    String add(String nodeName, String operator, List<String> inputs) {
        return add(nodeName, operator, inputs, List.of());
    }

    /** Adds a float32 constant, little-endian as ONNX stores raw data, and returns its name. */
    String floatConstant(String tensorName, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        initializers.add(tensor(tensorName, TensorProto.DataType.FLOAT, dims, ByteString.copyFrom(bytes.array())));
        return tensorName;
    }

    /** Adds an int64 constant (shapes for Reshape) and returns its name. */
    String longConstant(String tensorName, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        initializers.add(tensor(tensorName, TensorProto.DataType.INT64, new long[] {values.length},
                ByteString.copyFrom(bytes.array())));
        return tensorName;
    }

    static AttributeProto ints(String attribute, long... values) {
        AttributeProto.Builder builder = AttributeProto.newBuilder()
                .setName(attribute)
                .setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            builder.addInts(value);
        }
        return builder.build();
    }

    static AttributeProto floatAttribute(String attribute, float value) {
        return AttributeProto.newBuilder()
                .setName(attribute)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    /**
     * The finished graph. The last node's output is renamed to the first output's name; further outputs name
     * values of the graph as they are.
     */
    GraphProto build(List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("an ONNX graph needs at least one node");
        }
        NodeProto.Builder last = nodes.get(nodes.size() - 1);
        last.setOutput(0, outputs.get(0).getName());
        GraphProto.Builder graph = GraphProto.newBuilder()
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllInitializer(initializers);
        nodes.forEach(node -> graph.addNode(node.build()));
        return graph.build();
    }

    static AttributeProto stringAttribute(String attribute, String value) {
        return AttributeProto.newBuilder()
                .setName(attribute)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    static AttributeProto intAttribute(String attribute, long value) {
        return AttributeProto.newBuilder()
                .setName(attribute)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    /** A float32 value of shape {@code [batchDim, shape...]}. */
    static ValueInfoProto floatValue(String valueName, String batchDim, long... shape) {
        return value(valueName, TensorProto.DataType.FLOAT, batchDim, shape);
    }

    /** An int64 value of shape {@code [batchDim, shape...]}. */
    static ValueInfoProto longValue(String valueName, String batchDim, long... shape) {
        return value(valueName, TensorProto.DataType.INT64, batchDim, shape);
    }

    private static TensorProto tensor(String tensorName, TensorProto.DataType type, long[] dims, ByteString raw) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(tensorName)
                .setDataType(type.getNumber())
                .setRawData(raw);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    private static ValueInfoProto value(String valueName, TensorProto.DataType type, String batchDim,
                                        long[] shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batchDim));
        for (long dim : shape) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder()
                .setName(valueName)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(dims)))
                .build();
    }
}
